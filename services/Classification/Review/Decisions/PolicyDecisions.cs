using System.Globalization;
using System.Text.RegularExpressions;
using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;
using EarlyWarning.Classification.Review.Editing;
using EarlyWarning.Classification.Review.Suggestions;
using Npgsql;

namespace EarlyWarning.Classification.Review.Decisions;

/// <summary>
/// Turns a steward's decisions into the smallest edits of the policy files, checks the edited policy as the service
/// would load it (and that each held value now maps as decided), then writes the files, records the decisions and
/// replays the country's held cells. Any refusal names the file and field, and nothing is written.
/// </summary>
internal sealed partial class PolicyDecisions(PolicyProvider policies, SuggestionCache suggestions, HeldCellReplay replay, NpgsqlDataSource db,
    TimeProvider time, ILogger<PolicyDecisions> logger)
{
    // One writer of policy/ at a time: edits read the files they change.
    private static readonly SemaphoreSlim Writer = new(1, 1);

    public async Task<DecisionsResult> ApplyAsync(DecisionsRequest request, string decidedBy, CancellationToken ct)
    {
        var country = request.Country.Trim().ToUpperInvariant();
        await Writer.WaitAsync(ct);
        try
        {
            var policy = policies.Current;
            var suggester = suggestions.Current;
            var decisions = (request.Decisions ?? []).ToList();
            if (request.AcceptTopAbove is { } minimum) decisions.AddRange(await TopSuggestionsAsync(suggester, country, minimum, decisions, ct));
            if (decisions.Count == 0) throw new DecisionRefused("", "decisions", "no decision given, and acceptTopAbove accepted none");

            var files = new SortedDictionary<string, (string Before, string After, int Edits)>(StringComparer.Ordinal);
            var date = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            for (var i = 0; i < decisions.Count; i++)
            {
                var decision = decisions[i];
                var (file, edit) = Edit(policy, suggester, country, decision, $"decisions[{i}]", date, decidedBy);
                var (before, after, edits) = files.TryGetValue(file, out var f) ? f : (Read(file), Read(file), 0);
                try
                {
                    files[file] = (before, edit(after), edits + 1);
                }
                catch (PolicyEditException e)
                {
                    throw new DecisionRefused(file, e.Field, e.Reason);
                }
            }
            // One decision or ten, a file's version rises by one.
            foreach (var (file, (before, after, edits)) in files.Where(f => f.Value.Edits > 1).ToList())
                files[file] = (before, WithVersion(after, PolicyFileEdit.BumpVersion(before)), edits);

            var edited = LoadEdited(files.ToDictionary(f => f.Key, f => f.Value.After));
            for (var i = 0; i < decisions.Count; i++) Verify(edited, country, decisions[i], $"decisions[{i}]");
            var changes = files.Select(f => new PolicyFileChange(f.Key, LineDiff.Unified(f.Key, f.Value.Before, f.Value.After))).ToList();
            if (request.DryRun) return new DecisionsResult(true, changes, decisions, null);

            foreach (var (file, (_, after, _)) in files) Write(file, after);
            var reloaded = policies.Reload();
            await PolicyProvider.RecordAsync(db, reloaded, ct);
            await DecisionStore.RecordAsync(db, time.GetUtcNow(), decidedBy, country, decisions, reloaded.Digest, string.Concat(changes.Select(c => c.Diff)), ct);
            logger.LogInformation("{Count} review decisions for {Country} by {DecidedBy} written to {Files}; policy {Digest}",
                decisions.Count, country, decidedBy, string.Join(", ", files.Keys), reloaded.Digest);
            return new DecisionsResult(false, changes, decisions, await replay.ReplayAsync(country, ct));
        }
        finally
        {
            Writer.Release();
        }
    }

    /// <summary>
    /// Writes the first mapping table of a country that has none, from the template, checked as the service would
    /// load it; with <paramref name="dryRun"/> only returns it. Returns the file and its diff.
    /// </summary>
    public async Task<PolicyFileChange> StartTableAsync(string country, bool dryRun, CancellationToken ct)
    {
        await Writer.WaitAsync(ct);
        try
        {
            var file = $"mappings/{country}.yaml";
            var text = MappingTemplate.Write(policies.Current, country, policies.Directory, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            LoadEdited(new Dictionary<string, string> { [file] = text });
            var change = new PolicyFileChange(file, LineDiff.Unified(file, "", text));
            if (dryRun) return change;
            Write(file, text);
            await PolicyProvider.RecordAsync(db, policies.Reload(), ct);
            logger.LogInformation("Mapping table {File} started from the template", file);
            return change;
        }
        finally
        {
            Writer.Release();
        }
    }

    /// <summary>The top suggestion of every held value of the country that scores at least <paramref name="minimum"/>.</summary>
    private async Task<IEnumerable<Decision>> TopSuggestionsAsync(ReviewSuggester suggester, string country, double minimum, List<Decision> given, CancellationToken ct)
    {
        if (minimum is < ReviewSuggester.Good or > 1)
            throw new DecisionRefused("", "acceptTopAbove", $"must be between {ReviewSuggester.Good} (a good candidate) and 1");
        var held = await HeldCellStore.UnmappedAsync(db, country, ct);
        return held.Where(v => !given.Any(d => d.Kind == v.Kind && d.Written == v.Written))
            .Select(v => (Value: v, Review: suggester.Review(country, v.Kind, v.Written)))
            .Where(r => r.Review is { Status: ValueReview.Suggested, Suggestions: [var top, ..] } && top.Score >= minimum && top.Action != Suggestion.NewPoint)
            .Select(r => new Decision(r.Value.Kind, r.Value.Written, r.Review.Suggestions[0].Action, r.Review.Suggestions[0].Code))
            .ToList();
    }

    private (string File, Func<string, string> Edit) Edit(RegionalPolicy policy, ReviewSuggester suggester, string country, Decision d, string field,
        string date, string decidedBy)
    {
        if (string.IsNullOrWhiteSpace(d.Written)) throw new DecisionRefused("", field + ".written", "the held value is required");
        var review = suggester.Review(country, d.Kind, d.Written);
        var rank = review.Suggestions.ToList().FindIndex(s => s.Action == d.Action && s.Code == (d.Code ?? d.Point?.Region));
        var how = rank >= 0 ? string.Create(CultureInfo.InvariantCulture, $"suggestion {rank + 1}, score {review.Suggestions[rank].Score:0.00}") : "chosen by the steward";
        var note = $"{date} by {OneLine(decidedBy)}: {Quote(d.Written)} {(d.Action == Decision.KeepHeld ? "kept held" : "as " + (d.Code ?? d.Point?.Code ?? "a new point"))} ({how})";
        var mappings = $"mappings/{country}.yaml";
        switch (d.Kind, d.Action)
        {
            case (Classifier.Category, Suggestion.Map):
                var category = Known(policy.Categories, d.Code, mappings, field + ".code");
                Table(policy, country, mappings);
                var rule = rank >= 0 ? review.Suggestions[rank].Rule : null;
                return (mappings, text => PolicyFileEdit.AddCategoryWriting(text, category, d.Written, rule, note));
            case (Classifier.Category, Decision.KeepHeld):
                Table(policy, country, mappings);
                var reason = string.IsNullOrWhiteSpace(d.Reason) ? "not a flow category" : d.Reason;
                return (mappings, text => PolicyFileEdit.AddKeepHeld(text, d.Written, reason, note));
            case (Classifier.Age, Suggestion.Map):
                var age = Known(policy.AgeCodes, d.Code, mappings, field + ".code");
                Table(policy, country, mappings);
                return (mappings, text => PolicyFileEdit.AddCodeWriting(text, "ages", age, d.Written, note));
            case (Classifier.Sex, Suggestion.Map):
                var sex = Known(policy.SexCodes, d.Code, mappings, field + ".code");
                Table(policy, country, mappings);
                return (mappings, text => PolicyFileEdit.AddCodeWriting(text, "sexes", sex, d.Written, note));
            case (Classifier.Nationality, Suggestion.Map):
                var names = "codelists/nationality-names.yaml";
                var area = Known(policy.Areas, d.Code, names, field + ".code");
                return (names, text => PolicyFileEdit.AddNationalityName(text, area, d.Written, note));
            case (Classifier.PlaceKind, Suggestion.Alias):
                var point = policy.PlaceByCode(d.Code ?? "") ?? throw new DecisionRefused($"places/{country}.yaml", field + ".code", $"'{d.Code}' is no point of the gazetteer");
                if (point.Country != country)
                    throw new DecisionRefused(PlacesFile(point.Country, point.Code), field + ".code", $"'{point.Code}' is a point of {point.Country}, not of {country}");
                return (PlacesFile(country, point.Code), text => PolicyFileEdit.AddAlias(text, point.Code, d.Written, note));
            case (Classifier.PlaceKind, Suggestion.NewPoint):
                var places = $"places/{country}.yaml";
                if (!File.Exists(Path.Combine(policies.Directory, places))) throw new DecisionRefused(places, "file", "the country has no gazetteer yet");
                var p = d.Point ?? throw new DecisionRefused(places, field + ".point", "a new point needs its region and kind");
                if (!policy.Places.Any(x => x.Country == country && x.Region == p.Region) && string.IsNullOrWhiteSpace(p.RegionName))
                    throw new DecisionRefused(places, field + ".point.region", $"'{p.Region}' is no region of {places}; give regionName to add it");
                var code = p.Code ?? Classifier.Derived(country, p.Name ?? d.Written).Code;
                var name = p.Name ?? d.Written;
                // The spelling the file used becomes an alias when the steward names the point otherwise.
                var aliases = NationalText.Normalize(name) == NationalText.Normalize(d.Written) ? Array.Empty<string>() : [d.Written];
                return (places, text => PolicyFileEdit.AddPoint(text, p.Region, p.RegionName, new NewPoint(code, name, p.Kind, p.Neighbour, p.Lat, p.Lon, aliases), note));
            default:
                throw new DecisionRefused("", field + ".action", $"'{d.Action}' is not a decision on a {d.Kind}: map (category, age, sex, nationality), alias or new-point (place), keep-held (category)");
        }
    }

    /// <summary>Refuses an edited policy the service would refuse, and a decision the edit did not make true.</summary>
    private static void Verify(RegionalPolicy policy, string country, Decision d, string field)
    {
        var now = (d.Kind, d.Action) switch
        {
            (Classifier.Category, Decision.KeepHeld) => policy.Tables[country].KeepHeld.ContainsKey(NationalText.Normalize(d.Written)) ? "kept held" : null,
            (Classifier.Category, _) => policy.Tables[country].Rules.GetValueOrDefault(NationalText.Normalize(d.Written))?.Any(r => r.Regional == d.Code) == true ? d.Code : null,
            (Classifier.Age, _) => policy.AgeGroup(country, d.Written),
            (Classifier.Sex, _) => policy.Sex(country, d.Written),
            (Classifier.Nationality, _) => policy.Nationality(d.Written),
            _ => policy.Place(country, d.Written)?.Code,
        };
        var expected = d.Action == Decision.KeepHeld ? "kept held" : d.Code ?? d.Point?.Code ?? policy.Place(country, d.Written)?.Code;
        if (now is null || now != expected)
            throw new DecisionRefused("", field, $"after the edit {Quote(d.Written)} would mean {now ?? "nothing"}, not {expected}: another writing or rule already claims it");
    }

    private RegionalPolicy LoadEdited(Dictionary<string, string> edited)
    {
        var copy = Path.Combine(Path.GetTempPath(), "earlywarning-review-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var file in Directory.EnumerateFiles(policies.Directory, "*.yaml", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(policies.Directory, file).Replace('\\', '/');
                var target = Path.Combine(copy, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (edited.TryGetValue(relative, out var text)) File.WriteAllText(target, text); else File.Copy(file, target);
            }
            foreach (var (relative, text) in edited.Where(e => !File.Exists(Path.Combine(copy, e.Key))))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
                File.WriteAllText(Path.Combine(copy, relative), text);
            }
            return PolicyLoader.Load(copy);
        }
        catch (PolicyException e)
        {
            throw new DecisionRefused(e.File, e.Field, e.Reason);
        }
        finally
        {
            if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
        }
    }

    private string Read(string file)
    {
        var path = Path.Combine(policies.Directory, file);
        return File.Exists(path) ? File.ReadAllText(path) : throw new DecisionRefused(file, "file", "missing");
    }

    private void Write(string file, string text)
    {
        var path = Path.Combine(policies.Directory, file);
        var temporary = path + ".review-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The gazetteer file that lists a point (a country's points may be split over several files).</summary>
    private string PlacesFile(string country, string point)
    {
        var folder = Path.Combine(policies.Directory, "places");
        return Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => File.ReadAllText(f).Contains(point, StringComparison.Ordinal))
            .Select(f => "places/" + Path.GetFileName(f)).FirstOrDefault() ?? $"places/{country}.yaml";
    }

    private static string Known(CodeList list, string? code, string file, string field) =>
        code is not null && list.Codes.ContainsKey(code) ? code : throw new DecisionRefused(file, field, $"'{code}' is not a code of {list.Reference}");

    private static void Table(RegionalPolicy policy, string country, string file)
    {
        if (!policy.Tables.ContainsKey(country)) throw new DecisionRefused(file, "file", $"{country} has no mapping table yet: start one with POST /api/review/tables/{country}");
    }

    private static string WithVersion(string text, string bumpedOriginal) =>
        TopLevelVersion().Match(bumpedOriginal) is { Success: true } version ? TopLevelVersion().Replace(text, version.Value, 1) : text;

    [GeneratedRegex(@"^version:[^\r\n]*", RegexOptions.Multiline)]
    private static partial Regex TopLevelVersion();

    private static string OneLine(string text) => string.Concat(text.Where(c => !char.IsControl(c))).Trim();
    private static string Quote(string text) => "\"" + OneLine(text).Replace("\"", "'", StringComparison.Ordinal) + "\"";
}
