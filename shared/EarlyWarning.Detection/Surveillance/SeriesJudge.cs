namespace EarlyWarning.Detection.Surveillance;

/// <summary>
/// Judges weeks of a weekly series with the detector its history allows (<see cref="DetectionPolicy.Detectors"/>,
/// longest history first). Pure: the same counts always give the same verdicts, whatever order they arrived in.
/// </summary>
public sealed class SeriesJudge
{
    private const int Frequency = 52;
    private readonly DetectionPolicy _policy;
    private readonly (DetectorRule Rule, Detector Detector, double? Alpha)[] _rules;

    public SeriesJudge(DetectionPolicy policy)
    {
        if (policy.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join("; ", problems));
        _policy = policy;
        _rules = policy.EffectiveDetectors.OrderByDescending(r => r.MinimumHistory)
            .Select(r => (r, r.Create(), Alpha(r))).ToArray();
    }

    /// <summary>Weeks after a changed week whose verdict can change with it (the longest history a rule reads).</summary>
    public int ReachWeeks => Math.Min(_policy.HistoryWeeks, _rules.Max(r => r.Rule.MinimumHistory) + 26);

    public int ShortestHistory => _rules.Min(r => r.Rule.MinimumHistory);

    /// <summary>
    /// The verdict on <paramref name="week"/>. Its history is the weeks reported without a gap (and not
    /// suppressed) just before it, at most <see cref="DetectionPolicy.HistoryWeeks"/>: a missing week is unknown,
    /// not zero, and a suppressed one taken as zero would lower the baseline and raise false alarms.
    /// </summary>
    public Verdict Judge(IReadOnlyDictionary<DateOnly, long?> totals, DateOnly week)
    {
        if (!totals.TryGetValue(week, out var total))
            return new Verdict(week, null, null, null, null, false, null, "no count: every cell of the week was deleted by its publisher");
        if (total is not { } observed)
            return new Verdict(week, null, null, null, null, false, null, "the week's total is suppressed by the agreement, so its count is unknown");
        var history = 0;
        while (history < _policy.HistoryWeeks && totals.TryGetValue(week.AddDays(-7 * (history + 1)), out var past) && past is not null) history++;
        var counts = new double[history + 1];
        for (var i = 0; i <= history; i++) counts[i] = totals[week.AddDays(-7 * (history - i))]!.Value;
        return Judge(counts, week);
    }

    /// <summary>The verdict on the last of <paramref name="counts"/>, the others being its history (oldest first, no gaps).</summary>
    public Verdict Judge(double[] counts, DateOnly week)
    {
        var history = counts.Length - 1;
        var observed = (long)counts[^1];
        foreach (var (rule, detector, alpha) in _rules)
        {
            if (rule.MinimumHistory > history) continue;
            var result = detector.Evaluate(counts, Frequency, new EvaluationRange(counts.Length, counts.Length))[0];
            // A rule that gives no bound here (a model R could not fit) hands over to the next one.
            if (result.UpperBound is not { } bound) continue;
            var expected = result.Expected ?? 0;
            var large = observed >= _policy.MinimumRatio * expected;
            var surge = result.Alarm && observed >= _policy.MinimumCount && large;
            var probability = Probability(observed, result.Expected, bound, alpha);
            return new Verdict(week, observed, result.Expected, bound, rule.Label, surge, probability,
                surge ? null
                : !result.Alarm ? $"{observed} does not exceed the bound {bound:0.0}"
                : observed < _policy.MinimumCount ? $"{observed} is above the bound {bound:0.0} but below the minimum of {_policy.MinimumCount} events"
                : $"{observed} is above the bound {bound:0.0} but less than {_policy.MinimumRatio:0.##} times the expected {expected:0.0}");
        }
        return new Verdict(week, observed, null, null, null, false, null,
            $"not enough history: {history} week(s) reported without a gap before it, the shortest rule needs {ShortestHistory}");
    }

    /// <summary>The bound is the detector's 1 − alpha quantile: on a normal scale its distance from the expected count is z(1 − alpha) deviations.</summary>
    private static double? Probability(long observed, double? expected, double bound, double? alpha)
    {
        if (expected is not { } mean || alpha is not { } a || bound <= mean) return null;
        var sd = (bound - mean) / Normal.Quantile(1 - a);
        return NormalCdf((observed - mean) / sd);
    }

    private static double NormalCdf(double z) => z >= 0
        ? 1 - 0.5 * SpecialFunctions.UpperIncompleteGamma(0.5, z * z / 2)
        : 0.5 * SpecialFunctions.UpperIncompleteGamma(0.5, z * z / 2);

    private static double? Alpha(DetectorRule rule)
    {
        if (rule.Parameters.TryGetValue("alpha", out var text))
            return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return rule.Algorithm switch
        {
            "ears-c1" or "ears-c2" => 0.001,
            "ears-c3" => 0.025,
            "farrington-flexible" => 0.05,
            _ => null,
        };
    }
}
