using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EarlyWarning.Detection.Surveillance;
using EarlyWarning.Evaluation.Generation;
using EarlyWarning.Evaluation.Pipeline;
using EarlyWarning.Evaluation.Scoring;
using Npgsql;

namespace EarlyWarning.Evaluation;

/// <summary>
/// earlywarning-evaluation: generates realistic national files with planted surges (generate), and measures detection
/// quality end to end through the running services against the same rules on the unprotected series (run).
/// </summary>
internal static class EvaluationCommand
{
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the generator (same seed, same files)", DefaultValueFactory = _ => 20261208 };
    private static readonly Option<double> Scale = new("--scale") { Description = "Multiplies the default numbers of finest series (720, about 300,000 national rows) and surges (a third of the series)", DefaultValueFactory = _ => 1.0 };
    private static readonly Option<int?> SeriesCount = new("--series") { Description = "Finest national series in all (overrides --scale)" };
    private static readonly Option<int?> SurgeCount = new("--surges") { Description = "Surges to plant (default: a third of the series)" };
    private static readonly Option<string[]> Countries = new("--countries") { Description = "Countries (ISO3), comma-separated or repeated; default: every country with an agreement, a mapping table and a gazetteer", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<int> Weeks = new("--weeks") { Description = "Weeks of data", DefaultValueFactory = _ => 130 };
    private static readonly Option<DateOnly?> End = new("--end") { Description = "Last week (a date in it); default: the most recent complete ISO week before today" };
    private static readonly Option<string?> PolicyDir = new("--policy") { Description = "The policy folder (default: policy/ of this repository)" };
    private static readonly Option<string?> Config = new("--config") { Description = "Detection policy for the ceiling: JSON with a \"Detection\" section (default: services/Alerting/appsettings.json, plus Detection__ environment variables)" };

    public static RootCommand Create()
    {
        var root = new RootCommand("Detection quality end to end: the pipeline with the agreements on, against the same rules on the unprotected series.");
        root.Subcommands.Add(GenerateCommand());
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(CeilingCommand());
        root.Subcommands.Add(SuggestionsCommand());
        return root;
    }

    private static void AddCommon(Command command)
    {
        foreach (var option in new Option[] { Seed, Scale, SeriesCount, SurgeCount, Countries, Weeks, End, PolicyDir, Config }) command.Options.Add(option);
    }

    private static Command GenerateCommand()
    {
        var output = new Option<string?>("--out") { Description = "Write one CSV file per country and surges.csv (the truth) to this folder" };
        var command = new Command("generate", "Generates the national files and prints their summary.");
        AddCommon(command);
        command.Options.Add(output);
        command.SetAction(parse => Guard(() =>
        {
            var data = Generate(parse);
            DatasetSummary.Print(Console.Out, data);
            if (parse.GetValue(output) is { } folder)
            {
                Directory.CreateDirectory(folder);
                foreach (var c in data.Countries) File.WriteAllText(Path.Combine(folder, $"{c.Country}.csv"), NationalFiles.Csv(data, c.Country, 0, data.Weeks.Length));
                File.WriteAllText(Path.Combine(folder, "planted-surges.csv"), "surge,country,border_point,nationality,category,usual_level,start_week,duration,size\n" +
                    string.Concat(data.Surges.Select(s => FormattableString.Invariant(
                        $"{s.Id},{s.Series.Country},{s.Series.Point.National},{s.Series.Nationality.National},{s.Series.Category.National},{s.Series.Level:0.##},{data.Weeks[s.Start]:yyyy-MM-dd},{s.Duration},{s.Size}\n"))));
                Console.WriteLine($"written to {folder}");
            }
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command RunCommand()
    {
        var ingestion = new Option<string>("--ingestion") { Description = "Ingestion's base address", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EW_INGESTION_URL") ?? "http://127.0.0.1:5101" };
        var database = new Option<string?>("--database") { Description = "Connection string of a role that may read the alerting schema (default: $EW_EVAL_DATABASE)" };
        var tail = new Option<int>("--weekly-tail") { Description = "Publish the last N weeks one submission per country and week, after the history", DefaultValueFactory = _ => 0 };
        var timeout = new Option<double>("--timeout") { Description = "Minutes to wait for the pipeline", DefaultValueFactory = _ => 20 };
        var results = new Option<string?>("--results") { Description = "Folder for the raw results (default: $TMPDIR/earlywarning-evaluation/<UTC time>)" };
        var command = new Command("run", "Publishes the files through the running services (keys in $EW_KEY_<ISO3> and $EW_KEY_OPERATOR), waits, scores pipeline and ceiling.");
        AddCommon(command);
        foreach (var option in new Option[] { ingestion, database, tail, timeout, results }) command.Options.Add(option);
        command.SetAction((parse, ct) => Guard(async () =>
        {
            var clock = Stopwatch.StartNew();
            var policy = DetectionPolicyFile.Load(parse.GetValue(Config) ?? Path.Combine(RepositoryRoot(), "services", "Alerting", "appsettings.json"));
            var data = Generate(parse);
            DatasetSummary.Print(Console.Out, data);
            var connection = parse.GetValue(database) ?? Environment.GetEnvironmentVariable("EW_EVAL_DATABASE")
                             ?? throw new ArgumentException("--database or $EW_EVAL_DATABASE is needed (a role that may read the alerting schema)");
            var keys = data.Countries.Select(c => c.Country).Where(c => Environment.GetEnvironmentVariable($"EW_KEY_{c}") is { Length: > 0 })
                .ToDictionary(c => c, c => Environment.GetEnvironmentVariable($"EW_KEY_{c}")!);
            var operatorKey = Environment.GetEnvironmentVariable("EW_KEY_OPERATOR") ?? throw new ArgumentException("$EW_KEY_OPERATOR is needed (to follow every submission)");
            var baseUri = new Uri(parse.GetValue(ingestion)!.TrimEnd('/') + "/");
            if (!baseUri.IsLoopback) throw new ArgumentException($"--ingestion {baseUri} is not a loopback address");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            await using var alerting = NpgsqlDataSource.Create(connection);

            Console.WriteLine($"publishing to {baseUri} ...");
            var publishing = Stopwatch.StartNew();
            var submissions = await new Publisher(http, baseUri, keys).PublishAsync(data, parse.GetValue(tail), Console.Out, ct);
            Console.WriteLine($"  {submissions.Count} submissions accepted in {publishing.Elapsed.TotalSeconds:0} s; waiting for the pipeline ...");
            await new PipelineWaiter(http, baseUri, operatorKey, alerting).WaitAsync(submissions, TimeSpan.FromMinutes(parse.GetValue(timeout)), Console.Out, ct);
            var pipelineSeconds = publishing.Elapsed.TotalSeconds;
            var pipelineRun = await PipelineResults.ReadAsync(alerting, data, ct);

            var ceilingClock = Stopwatch.StartNew();
            var truth = Ceiling.Series(data, policy);
            var ceilingRun = Ceiling.Run(data, policy);
            Console.WriteLine($"  ceiling: {truth.Count:N0} series at {policy.EffectiveLevels.Count} levels judged in process in {ceilingClock.Elapsed.TotalSeconds:0.0} s");
            var pipelineScores = Scorer.Score(data, policy, pipelineRun, truth);
            var ceilingScores = Scorer.Score(data, policy, ceilingRun, truth);
            var report = new StringWriter();
            DatasetSummary.Print(report, data);
            Report.Print(report, data, policy, pipelineScores, ceilingScores);
            Console.Write(report.ToString()[report.ToString().IndexOf("\nDetection quality", StringComparison.Ordinal)..]);

            var folder = parse.GetValue(results) ?? Path.Combine(Path.GetTempPath(), "earlywarning-evaluation", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            ResultsCsv.Write(folder, data, [("pipeline", pipelineScores), ("ceiling", ceilingScores)], Report.Goals(data, policy, pipelineScores, ceilingScores));
            Console.WriteLine();
            File.WriteAllText(Path.Combine(folder, "report.txt"), report.ToString());
            Console.WriteLine($"raw results: {Path.GetFullPath(folder)} (surges.csv, alerts.csv, goals.csv, report.txt)");
            Console.WriteLine($"publishing and pipeline {pipelineSeconds:0} s, whole evaluation {clock.Elapsed.TotalSeconds:0} s");
            return 0;
        }));
        return command;
    }

    private static Command CeilingCommand()
    {
        var command = new Command("ceiling", "The ceiling alone, in process and in seconds: the detection policy on the unprotected series of the generated data (to try settings).");
        AddCommon(command);
        command.SetAction(parse => Guard(() =>
        {
            var clock = Stopwatch.StartNew();
            var policy = DetectionPolicyFile.Load(parse.GetValue(Config) ?? Path.Combine(RepositoryRoot(), "services", "Alerting", "appsettings.json"));
            var data = Generate(parse);
            DatasetSummary.Print(Console.Out, data);
            var truth = Ceiling.Series(data, policy);
            var scores = Scorer.Score(data, policy, Ceiling.Run(data, policy), truth);
            Console.WriteLine();
            Console.WriteLine($"Detection quality of the ceiling (the policy on the unprotected series): {truth.Count:N0} series at {policy.EffectiveLevels.Count} levels, {clock.Elapsed.TotalSeconds:0.0} s");
            Report.PrintLevels(Console.Out, [("ceiling", scores)]);
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Dataset Generate(ParseResult parse)
    {
        var policyDirectory = parse.GetValue(PolicyDir) ?? Path.Combine(RepositoryRoot(), "policy");
        var available = PolicyVocabulary.Countries(policyDirectory);
        var wanted = (parse.GetValue(Countries) ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(c => c.ToUpperInvariant()).Distinct().ToList();
        foreach (var c in wanted)
            if (!available.Contains(c)) throw new ArgumentException($"--countries: {c} has no agreement, mapping table and gazetteer in {policyDirectory} (have: {string.Join(", ", available)})");
        var countries = (wanted.Count > 0 ? wanted : available).Select(c => PolicyVocabulary.Load(policyDirectory, c)).ToList();
        var scale = parse.GetValue(Scale);
        if (!(scale > 0)) throw new ArgumentException("--scale must be positive");
        var series = parse.GetValue(SeriesCount) ?? (int)Math.Round(720 * scale);
        var surges = parse.GetValue(SurgeCount) ?? Math.Max(1, series / 3);
        if (series < countries.Count) throw new ArgumentException("--series must be at least the number of countries");
        var end = parse.GetValue(End) ?? LastCompleteWeek(TimeProvider.System);
        return NationalDataGenerator.Generate(countries, new GeneratorOptions(parse.GetValue(Seed), series, surges, parse.GetValue(Weeks), Monday(end)));
    }

    /// <summary>The Monday of the most recent complete ISO week before today (UTC).</summary>
    public static DateOnly LastCompleteWeek(TimeProvider time) => Monday(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)).AddDays(-7);

    public static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EarlyWarning.sln"))) return dir.FullName;
        throw new ArgumentException("cannot find the repository (EarlyWarning.sln); give --policy and --config");
    }

    private static Command SuggestionsCommand()
    {
        var terms = new Option<string?>("--terms") { Description = "Held-out vocabulary (default: tests/vocabulary/heldout-review-terms.yaml)" };
        var misses = new Option<bool>("--misses") { Description = "List every term whose answer was not ranked first" };
        var command = new Command("suggestions", "The classification review's suggestions on a held-out vocabulary: how often the right code is first, and among the first three.")
        {
            PolicyDir, terms, misses,
        };
        command.SetAction(parse => Guard(() =>
        {
            var root = parse.GetValue(PolicyDir) is null || parse.GetValue(terms) is null ? RepositoryRoot() : "";
            var policy = Classification.Policy.PolicyLoader.Load(parse.GetValue(PolicyDir) ?? Path.Combine(root, "policy"));
            var heldOut = Review.HeldOutTerms.Load(parse.GetValue(terms) ?? Path.Combine(root, "tests", "vocabulary", "heldout-review-terms.yaml"));
            var scores = Review.SuggestionScores.Score(new Classification.Review.Suggestions.ReviewSuggester(policy), heldOut);
            Review.SuggestionReport.Print(Console.Out, scores, policy, parse.GetValue(misses));
            var main = scores.Answerable(Classification.Mapping.Classifier.Category, Classification.Mapping.Classifier.PlaceKind);
            var met = Review.SuggestionScores.Share(main, t => t.Top1) >= Review.SuggestionScores.Top1Goal
                && Review.SuggestionScores.Share(main, t => t.Top3) >= Review.SuggestionScores.Top3Goal;
            return Task.FromResult(met ? 0 : 1);
        }));
        return command;
    }

    private static async Task<int> Guard(Func<Task<int>> action)
    {
        try { return await action(); }
        catch (ArgumentException ex) { Console.Error.WriteLine($"error: {ex.Message}"); return 2; }
        catch (Classification.Policy.PolicyException ex) { Console.Error.WriteLine($"error: invalid policy: {ex.Message}"); return 2; }
        catch (TimeoutException ex) { Console.Error.WriteLine($"error: {ex.Message}"); return 3; }
        catch (InvalidOperationException ex) { Console.Error.WriteLine($"error: {ex.Message}"); return 3; }
        catch (HttpRequestException ex) { Console.Error.WriteLine($"error: {ex.Message}"); return 3; }
    }
}
