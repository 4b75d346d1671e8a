using EarlyWarning.Detection.Surveillance;
using EarlyWarning.Evaluation.Generation;
using EarlyWarning.Evaluation.Scoring;

namespace EarlyWarning.UnitTests.Evaluation;

/// <summary>The evaluation's scoring, on hand-made alerts: which alert detects which surge, in time or not, and which is false.</summary>
public sealed class EvaluationScoringTests
{
    private const int Weeks = 100;
    private static readonly string Finest = SeriesLevel.Finest.Name;
    private static readonly DetectionPolicy Policy = new() { Levels = [SeriesLevel.Finest.Name, "country"] };

    /// <summary>Two finest series of Chile at 20 a week; one surge of 3x in series A, weeks 70 to 73.</summary>
    private static (Dataset Data, PlantedSurge Surge, SeriesId A, SeriesId B, Dictionary<SeriesId, double[]> Truth) Data()
    {
        FinestSeries Series(int index, string point) => new(index, "CHL", new PointTerm(point, $"CHL-{point.ToUpperInvariant()}", "border-crossing"),
            new NationalityTerm("venezolano", "VEN"), new CategoryTerm("Solicitud de refugio", "ASYLUM_APPLICATION"), 20,
            Enumerable.Repeat(20.0, Weeks).ToArray(), Enumerable.Repeat(20L, Weeks).ToArray(),
            Enumerable.Range(0, Weeks).Select(_ => new[] { new NationalCell("F", "18-59", 20) }).ToArray());
        var a = Series(0, "Colchane");
        var b = Series(1, "Chacalluta");
        var surge = new PlantedSurge(1, a, 70, 4, 3);
        var weeks = Enumerable.Range(0, Weeks).Select(i => new DateOnly(2024, 1, 1).AddDays(7 * i)).ToArray();
        var data = new Dataset(1, weeks, [], [a, b], [surge]);
        return (data, surge, new SeriesId(Finest, a.Harmonized), new SeriesId(Finest, b.Harmonized), Ceiling.Series(data, Policy));
    }

    private static LevelScore Score(Dataset data, Dictionary<SeriesId, double[]> truth, string level, params AlertRecord[] alerts)
    {
        var judged = truth.ToDictionary(t => t.Key, t => Enumerable.Repeat(true, Weeks).ToArray());
        return Scorer.Score(data, Policy, new DetectionRun("test", alerts, judged), truth).Single(l => l.Level == level);
    }

    [Fact]
    public void An_alert_overlapping_the_surges_first_week_detects_it_in_time()
    {
        var (data, _, a, _, truth) = Data();
        var score = Score(data, truth, Finest, new AlertRecord(a, 70, 72, 74, "closed", "Severe"));
        var outcome = Assert.Single(score.Surges);
        Assert.True(outcome.Early);
        Assert.Equal(0, outcome.WeeksToFirstAlert);
        Assert.Equal(0, score.FalseAlerts);
    }

    [Fact]
    public void An_alert_started_before_the_surge_and_still_above_in_its_first_week_counts()
    {
        var (data, _, a, _, truth) = Data();
        var outcome = Assert.Single(Score(data, truth, Finest, new AlertRecord(a, 68, 70, null, "active", "Minor")).Surges);
        Assert.True(outcome.Early);
    }

    [Fact]
    public void An_alert_starting_in_the_surges_third_week_is_not_in_time_but_counts_as_any_week()
    {
        var (data, _, a, _, truth) = Data();
        var second = Assert.Single(Score(data, truth, Finest, new AlertRecord(a, 71, 73, 75, "closed", "Severe")).Surges);
        Assert.True(second.Early);
        var third = Assert.Single(Score(data, truth, Finest, new AlertRecord(a, 72, 73, 75, "closed", "Severe")).Surges);
        Assert.False(third.Early);
        Assert.True(third.Any);
        Assert.Equal(2, third.WeeksToFirstAlert);
    }

    [Fact]
    public void An_alert_on_another_series_or_outside_the_surges_weeks_is_false()
    {
        var (data, _, a, b, truth) = Data();
        var score = Score(data, truth, Finest,
            new AlertRecord(b, 70, 71, 73, "closed", "Severe"),
            new AlertRecord(a, 60, 61, 63, "closed", "Minor"),
            new AlertRecord(a, 74, 75, 77, "closed", "Minor"));
        Assert.False(Assert.Single(score.Surges).Any);
        Assert.Equal(3, score.FalseAlerts);
        Assert.Equal(1000.0 * 3 / (2 * Weeks), score.FalsePer1000, 9);
    }

    [Fact]
    public void At_a_coarser_level_the_alert_of_the_series_containing_the_surge_detects_it()
    {
        var (data, _, _, _, truth) = Data();
        var country = new SeriesId("country", new SeriesParts("CHL", SeriesParts.Total, SeriesParts.Total, SeriesParts.Total));
        var score = Score(data, truth, "country", new AlertRecord(country, 71, 72, 74, "closed", "Moderate"), new AlertRecord(country, 20, 21, 23, "closed", "Minor"));
        Assert.True(Assert.Single(score.Surges).Early);
        Assert.Equal(1, score.FalseAlerts);
    }

    [Fact]
    public void Withdrawn_alerts_are_counted_and_detect_nothing()
    {
        var (data, _, a, _, truth) = Data();
        var score = Score(data, truth, Finest, new AlertRecord(a, 70, 72, null, "withdrawn", "Severe", "the revised count 12 no longer exceeds the bound 30"));
        Assert.Equal(1, score.Withdrawn);
        Assert.False(Assert.Single(score.Surges).Any);
        Assert.Equal(0, score.FalseAlerts);
    }

    [Fact]
    public void Two_alerts_on_one_surge_are_two_alerts_per_surge()
    {
        var (data, _, a, _, truth) = Data();
        var outcome = Assert.Single(Score(data, truth, Finest, new AlertRecord(a, 70, 70, 72, "closed", "Minor"), new AlertRecord(a, 73, 73, 75, "closed", "Minor")).Surges);
        Assert.Equal(2, outcome.Alerts);
    }

    [Fact]
    public void The_judged_share_counts_only_weeks_with_a_year_of_history()
    {
        var (data, _, a, b, truth) = Data();
        var judged = new Dictionary<SeriesId, bool[]> { [a] = Enumerable.Range(0, Weeks).Select(t => t >= 76).ToArray() };
        var score = Scorer.Score(data, Policy, new DetectionRun("test", [], judged), truth).Single(l => l.Level == Finest);
        Assert.Equal(2 * (Weeks - 52), score.WeeksWithYear);
        Assert.Equal(Weeks - 76, score.WeeksWithYearJudged);
        Assert.Equal(Weeks - 76, score.WeeksJudged);
        Assert.DoesNotContain(b, judged.Keys);
    }
}
