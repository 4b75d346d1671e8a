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
        Fingerprint = FingerprintOf(policy.HistoryWeeks, policy.CensoredWeeks, _rules.Select(r => r.Rule));
    }

    /// <summary>
    /// Identifies what the bounds depend on (the history read and the rules, in order), so that a <see cref="VerdictBasis"/>
    /// made under other settings is never reused. The minimum count and ratio apply to the count, so they are not part of it.
    /// </summary>
    public long Fingerprint { get; }

    /// <summary>
    /// Weeks after a changed week whose verdict can change with it: every week a rule's bound reads (all the history for
    /// CUSUM's mean), and at least the longest history a rule needs and half a year more.
    /// </summary>
    public int ReachWeeks => Math.Min(_policy.HistoryWeeks,
        _rules.Max(r => Math.Max(r.Rule.MinimumHistory + 26, r.Detector.Lookback(Frequency) ?? _policy.HistoryWeeks)));

    public int ShortestHistory => _rules.Min(r => r.Rule.MinimumHistory);

    /// <summary>The verdict on <paramref name="week"/>, a suppressed week (null) being one whose count is unknown (<see cref="WeekCount.Unknown"/>).</summary>
    public Verdict Judge(IReadOnlyDictionary<DateOnly, long?> totals, DateOnly week) =>
        JudgeWithBasis(totals.ToDictionary(t => t.Key, t => t.Value is { } count ? WeekCount.Exact(count) : WeekCount.Unknown), week).Verdict;

    /// <summary><see cref="JudgeWithBasis(IReadOnlyDictionary{DateOnly, WeekCount}, DateOnly)"/> without the basis.</summary>
    public Verdict Judge(IReadOnlyDictionary<DateOnly, WeekCount> totals, DateOnly week) => JudgeWithBasis(totals, week).Verdict;

    /// <summary>
    /// The verdict on <paramref name="week"/>, with what it rests on (none for a week without a count). Its history runs from the
    /// series' first reported week within <see cref="DetectionPolicy.HistoryWeeks"/> before it: a week not reported (by the series,
    /// nor by its publisher) is missing (NaN for the detectors, as R's NA), not zero, and does not cut the history short; a censored week enters as
    /// <see cref="DetectionPolicy.CensoredWeeks"/> says. A censored week itself is judged on its interval (<see cref="JudgeInterval"/>).
    /// </summary>
    /// <param name="reported">
    /// Weeks in which the series' publisher (any publisher, for a series across the region) published anything: a week of the
    /// history that the series lacks but its publisher reported is a zero (national files leave out rows of zero), not missing.
    /// </param>
    public (Verdict Verdict, VerdictBasis? Basis) JudgeWithBasis(IReadOnlyDictionary<DateOnly, WeekCount> totals, DateOnly week,
        IReadOnlySet<DateOnly>? reported = null)
    {
        if (!totals.TryGetValue(week, out var total))
            return (new Verdict(week, null, null, null, null, false, null, "no count: every cell of the week was deleted by its publisher"), null);
        var history = 0;
        for (var back = 1; back <= _policy.HistoryWeeks; back++)
            if (totals.ContainsKey(week.AddDays(-7 * back))) history = back;
        var counts = new double[history + 1];
        for (var i = 0; i < history; i++)
        {
            var past = week.AddDays(-7 * (history - i));
            counts[i] = totals.TryGetValue(past, out var count) ? HistoryValue(count) : reported?.Contains(past) == true ? 0 : double.NaN;
        }
        counts[^1] = total.Low;
        // A basis decides a revised count without the history; a censored week has no count to revise, so it keeps none.
        return total.IsExact ? JudgeWithBasis(counts, week) : (JudgeInterval(counts, week, total), null);
    }

    /// <summary>What a reported week of the history gives the detectors.</summary>
    private double HistoryValue(WeekCount count) =>
        count.IsExact ? count.Low : _policy.CensoredWeeks == CensoredWeeks.Midpoint ? count.Midpoint : double.NaN;

    /// <summary>
    /// The verdict on a censored week (the last of <paramref name="counts"/>, whose value is not read), from its interval: no surge
    /// when even its upper end would not be one; a surge only when its lower end already is (the alert then says the lower end);
    /// otherwise the bound lies inside the interval and the week is not judged. Each rule is tried as for a known count.
    /// </summary>
    private Verdict JudgeInterval(double[] counts, DateOnly week, WeekCount total)
    {
        var history = counts.Length - 1;
        for (var i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Rule.MinimumHistory > history) continue;
            if (IntervalVerdict(i, _rules[i].Detector.PrepareLast(counts, Frequency), history, total, week) is { } verdict) return verdict;
        }
        return new Verdict(week, null, null, null, null, false, null,
            $"suppressed ({total}) and not enough history: {history} week(s) before it, the shortest rule needs {ShortestHistory}");
    }

    private Verdict? IntervalVerdict(int rule, PeriodBound bound, int history, WeekCount total, DateOnly week)
    {
        // Whether a count is a surge grows with the count (above the bound, the minimum count and ratio, Farrington's limit54),
        // so the interval's two ends decide it.
        if (total.High is { } high)
        {
            if (VerdictOf(rule, bound, history, high, week) is not { } atHigh) return null;
            if (!atHigh.Surge)
                return atHigh with { Observed = null, Probability = null, Reason = $"suppressed ({total}): not a surge even at {high}, the bound being {atHigh.UpperBound:0.0}" };
        }
        var atLow = VerdictOf(rule, bound, history, total.Low, week);
        if (atLow is { Surge: true }) return atLow with { Reason = $"partly suppressed ({total}): a surge already at its lower end {total.Low}" };
        if (atLow is null && total.High is null) return null;
        var expected = atLow?.Expected;
        var upper = atLow?.UpperBound ?? bound.Decide(history + 1, total.High ?? total.Low).UpperBound;
        return new Verdict(week, null, expected, null, null, false, null,
            $"suppressed ({total}): the bound {upper:0.0} of {_rules[rule].Rule.Label} lies within what is known of the count, so the week is not judged");
    }

    /// <summary>The verdict on the last of <paramref name="counts"/>, the others being its history (oldest first; NaN for a missing week).</summary>
    public Verdict Judge(double[] counts, DateOnly week) => JudgeWithBasis(counts, week).Verdict;

    /// <summary>
    /// <see cref="Judge(double[], DateOnly)"/>, with what the verdict rests on. The rules are tried longest history first; each
    /// is prepared from the history alone and then given the count, and the first that bounds it judges.
    /// </summary>
    public (Verdict Verdict, VerdictBasis Basis) JudgeWithBasis(double[] counts, DateOnly week)
    {
        var history = counts.Length - 1;
        var observed = (long)counts[^1];
        var steps = new List<(int Rule, PeriodBound Bound)>(2);
        for (var i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Rule.MinimumHistory > history) continue;
            var bound = _rules[i].Detector.PrepareLast(counts, Frequency);
            steps.Add((i, bound));
            // A rule that gives no bound here (a model R could not fit) hands over to the next one.
            if (VerdictOf(i, bound, history, observed, week) is { } verdict) return (verdict, new VerdictBasis(Fingerprint, history, false, steps));
        }
        return (NotEnoughHistory(history, observed, week), new VerdictBasis(Fingerprint, history, true, steps));
    }

    /// <summary>
    /// The verdict on <paramref name="week"/> with the count <paramref name="observed"/>, from what an earlier verdict on the week
    /// rested on: the same verdict <see cref="Judge(double[], DateOnly)"/> gives when the weeks before are as they were then. Null
    /// when the basis cannot tell (another judge made it, or no rule it tried bounds this count and others were not tried).
    /// </summary>
    public Verdict? Decide(VerdictBasis basis, DateOnly week, long observed)
    {
        if (basis.Judge != Fingerprint || observed < 0) return null;
        foreach (var (rule, bound) in basis.Steps)
        {
            if (rule >= _rules.Length) return null;
            if (VerdictOf(rule, bound, basis.History, observed, week) is { } verdict) return verdict;
        }
        return basis.Exhaustive ? NotEnoughHistory(basis.History, observed, week) : null;
    }

    private Verdict? VerdictOf(int rule, PeriodBound prepared, int history, long observed, DateOnly week)
    {
        var result = prepared.Decide(history + 1, observed);
        if (result.UpperBound is not { } bound) return null;
        var (detectorRule, _, alpha) = _rules[rule];
        var expected = result.Expected ?? 0;
        var large = observed >= _policy.MinimumRatio * expected;
        var surge = result.Alarm && observed >= _policy.MinimumCount && large;
        var probability = Probability(observed, result.Expected, bound, alpha);
        return new Verdict(week, observed, result.Expected, bound, detectorRule.Label, surge, probability,
            surge ? null
            : !result.Alarm ? $"{observed} does not exceed the bound {bound:0.0}"
            : observed < _policy.MinimumCount ? $"{observed} is above the bound {bound:0.0} but below the minimum of {_policy.MinimumCount} events"
            : $"{observed} is above the bound {bound:0.0} but less than {_policy.MinimumRatio:0.##} times the expected {expected:0.0}");
    }

    private Verdict NotEnoughHistory(int history, long observed, DateOnly week) => new(week, observed, null, null, null, false, null,
        $"not enough history: {history} week(s) before it, the shortest rule needs {ShortestHistory}");

    private static long FingerprintOf(int historyWeeks, CensoredWeeks censored, IEnumerable<DetectorRule> rules)
    {
        var text = new System.Text.StringBuilder().Append(historyWeeks).Append('\u001f').Append(censored);
        foreach (var rule in rules)
        {
            text.Append('\u001e').Append(rule.MinimumHistory).Append('\u001f').Append(rule.Algorithm);
            foreach (var (name, value) in rule.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
                text.Append('\u001f').Append(name).Append('=').Append(value.Trim());
        }
        return System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
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
