using System.Globalization;

namespace EarlyWarning.Detection;

/// <summary>
/// One algorithm with its options, built from the names R uses for them (b, w, alpha, thresholdMethod, …),
/// so that analysts can move settings between R and EarlyWarning unchanged.
/// </summary>
public sealed class Detector
{
    public static readonly string[] Algorithms = ["ears-c1", "ears-c2", "ears-c3", "farrington-flexible", "cusum"];

    private readonly Func<double[], int, EvaluationRange, PeriodResult[]> _evaluate;
    /// <summary>Prepares the last period of the counts it is given, which it does not read.</summary>
    private readonly Func<double[], int, PeriodBound> _prepare;
    private readonly Func<int, int?> _lookback;

    private Detector(string algorithm, Func<double[], int, EvaluationRange, PeriodResult[]> evaluate, Func<double[], int, PeriodBound> prepare,
        Func<int, int?> lookback)
    {
        Algorithm = algorithm;
        _evaluate = evaluate;
        _prepare = prepare;
        _lookback = lookback;
    }

    /// <summary>How many periods before the judged one its bound can depend on, for a series of the given frequency; null for all of them.</summary>
    public int? Lookback(int frequency) => _lookback(frequency);

    public string Algorithm { get; }

    /// <summary>Evaluates the periods of <paramref name="range"/> of a series with the given frequency (52 for weekly).</summary>
    public PeriodResult[] Evaluate(double[] counts, int frequency, EvaluationRange range) => _evaluate(counts, frequency, range);

    /// <summary>
    /// What the detector knows of the period after <paramref name="history"/> before its count is in: for any count y,
    /// <c>Prepare(history, f).Decide(n + 1, y)</c> is <c>Evaluate(history + [y], f, (n + 1, n + 1))[0]</c>, to the bit.
    /// </summary>
    public PeriodBound Prepare(double[] history, int frequency)
    {
        var counts = new double[history.Length + 1];
        history.CopyTo(counts, 0);
        return _prepare(counts, frequency);
    }

    /// <summary><see cref="Prepare"/> for the last of <paramref name="counts"/>, from the ones before it: its own count is not read, nothing is copied.</summary>
    public PeriodBound PrepareLast(double[] counts, int frequency) =>
        counts.Length == 0 ? throw new ArgumentException("there is no last period to prepare", nameof(counts)) : _prepare(counts, frequency);

    /// <summary>Builds a detector; throws <see cref="ArgumentException"/> naming an unknown algorithm, parameter or value.</summary>
    public static Detector Create(string algorithm, IReadOnlyDictionary<string, string> parameters)
    {
        var reader = new ParameterReader(parameters);
        Detector detector = algorithm switch
        {
            "ears-c1" or "ears-c2" or "ears-c3" => Ears(algorithm, reader),
            "farrington-flexible" => Farrington(reader),
            "cusum" => CusumDetector(reader),
            _ => throw new ArgumentException($"unknown algorithm '{algorithm}'; expected one of {string.Join(", ", Algorithms)}"),
        };
        reader.EnsureAllUsed(algorithm);
        return detector;
    }

    private static Detector Ears(string algorithm, ParameterReader r)
    {
        var options = new EarsOptions
        {
            Baseline = r.Int("baseline") ?? 7,
            MinSigma = r.Double("minSigma") ?? 0,
            Alpha = r.Double("alpha"),
        };
        return algorithm switch
        {
            "ears-c1" => new Detector(algorithm, (counts, _, range) => Detection.Ears.C1(counts, range, options), (counts, _) => Detection.Ears.PrepareC1(counts.AsSpan(..^1), options),
                _ => options.Baseline),
            "ears-c2" => new Detector(algorithm, (counts, _, range) => Detection.Ears.C2(counts, range, options), (counts, _) => Detection.Ears.PrepareC2(counts.AsSpan(..^1), options),
                _ => options.Baseline + 2),
            _ => new Detector(algorithm, (counts, _, range) => Detection.Ears.C3(counts, range, options), (counts, _) => Detection.Ears.PrepareC3(counts.AsSpan(..^1), options),
                _ => options.Baseline + 4),
        };
    }

    private static Detector Farrington(ParameterReader r)
    {
        var defaults = new FarringtonOptions();
        var limit54 = r.IntPair("limit54");
        var options = new FarringtonOptions
        {
            B = r.Int("b") ?? defaults.B,
            W = r.Int("w") ?? defaults.W,
            Reweight = r.Bool("reweight") ?? defaults.Reweight,
            WeightsThreshold = r.Double("weightsThreshold") ?? defaults.WeightsThreshold,
            Alpha = r.Double("alpha") ?? defaults.Alpha,
            Trend = r.Bool("trend") ?? defaults.Trend,
            PThresholdTrend = r.Double("pThresholdTrend") ?? defaults.PThresholdTrend,
            Limit54Cases = limit54?.First ?? defaults.Limit54Cases,
            Limit54Periods = limit54?.Second ?? defaults.Limit54Periods,
            PowerTransform = r.Text("powertrans") switch
            {
                null or "2/3" => PowerTransform.TwoThirds,
                "1/2" => PowerTransform.Half,
                "none" => PowerTransform.None,
                var other => throw new ArgumentException($"powertrans '{other}' is not one of 2/3, 1/2, none"),
            },
            NoPeriods = r.Int("noPeriods") ?? defaults.NoPeriods,
            PastWeeksNotIncluded = r.Int("pastWeeksNotIncluded"),
            ThresholdMethod = r.Text("thresholdMethod") switch
            {
                null or "delta" => ThresholdMethod.Delta,
                "nbPlugin" => ThresholdMethod.NbPlugin,
                "muan" => ThresholdMethod.Muan,
                var other => throw new ArgumentException($"thresholdMethod '{other}' is not one of delta, nbPlugin, muan"),
            },
        };
        return new Detector("farrington-flexible", (counts, frequency, range) => FarringtonFlexible.Evaluate(counts, frequency, range, options),
            (counts, frequency) => FarringtonFlexible.PrepareLast(counts, frequency, options),
            frequency => Math.Max(options.B * frequency + options.W, options.Limit54Periods - 1));
    }

    private static Detector CusumDetector(ParameterReader r)
    {
        var options = new CusumOptions { K = r.Double("k") ?? 1.04, H = r.Double("h") ?? 2.26, M = r.Double("m") };
        return new Detector("cusum", (counts, _, range) => Cusum.Evaluate(counts, range, options), (counts, _) => Cusum.Prepare(counts.AsSpan(..^1), options),
            _ => options.M is null ? null : 0);
    }

    private sealed class ParameterReader(IReadOnlyDictionary<string, string> parameters)
    {
        private readonly HashSet<string> _used = [];

        public string? Text(string name)
        {
            _used.Add(name);
            return parameters.TryGetValue(name, out var value) ? value.Trim() : null;
        }

        public int? Int(string name) => Text(name) is { } v
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Bad(name, v, "a whole number")
            : null;

        public double? Double(string name) => Text(name) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Bad(name, v, "a number")
            : null;

        public bool? Bool(string name) => Text(name) switch
        {
            null => null,
            "TRUE" or "true" or "T" or "1" => true,
            "FALSE" or "false" or "F" or "0" => false,
            var v => throw Bad(name, v, "TRUE or FALSE"),
        };

        public (int First, int Second)? IntPair(string name)
        {
            if (Text(name) is not { } v) return null;
            var parts = v.Trim('c', '(', ')').Split([',', ' '], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var a) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var b)
                ? (a, b)
                : throw Bad(name, v, "two whole numbers, e.g. 5,4");
        }

        public void EnsureAllUsed(string algorithm)
        {
            var unknown = parameters.Keys.Where(k => !_used.Contains(k)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"{algorithm} has no parameter {string.Join(", ", unknown)}");
        }

        private static ArgumentException Bad(string name, string value, string expected) =>
            new($"--{name} '{value}' is not {expected}");
    }
}
