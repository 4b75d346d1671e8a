namespace EarlyWarning.Backtest.Evaluation;

/// <summary>A surge planted in a series: from week <see cref="Start"/> (0-based) for <see cref="Duration"/> weeks, the mean times <see cref="Size"/>.</summary>
internal sealed record PlantedSurge(int Start, int Duration, double Size)
{
    public int End => Start + Duration - 1;
}

/// <summary>A generated weekly series, its usual level (the mean before season and trend) and its planted surge, if any.</summary>
internal sealed record EvaluationSeries(string Name, double Level, double[] Counts, PlantedSurge? Surge);

/// <summary>
/// Evaluation data: weekly counts with a yearly season, a trend, over-dispersion (negative binomial), low
/// series full of zeros, and surges planted at known weeks with known sizes and durations. Deterministic for a seed.
/// </summary>
internal static class EvaluationData
{
    public static readonly double[] Sizes = [1.5, 2, 2.5, 3, 4];
    public static readonly int[] Durations = [1, 2, 3, 4, 6];

    public static List<EvaluationSeries> Generate(int count, int weeks, int seed)
    {
        var series = new List<EvaluationSeries>(count);
        for (var i = 0; i < count; i++)
        {
            var random = new Random(HashCode.Combine(seed, i));
            // One series in ten is small (1 to 5 a week, many zeros): it must not alert falsely, and its surges are not counted in the goal.
            var level = i % 10 == 9 ? 1 + 4 * random.NextDouble() : Math.Exp(Math.Log(10) + (Math.Log(300) - Math.Log(10)) * random.NextDouble());
            var amplitude = 0.6 * random.NextDouble();
            var phase = 2 * Math.PI * random.NextDouble();
            var trend = -0.15 + 0.3 * random.NextDouble();
            var dispersion = 1 + random.NextDouble();
            // Two series in three get a surge, sizes and durations in turn, anywhere after the first 20 weeks (so every detector meets some).
            PlantedSurge? surge = null;
            if (i % 3 != 2)
            {
                var duration = Durations[i / 3 % Durations.Length];
                var size = Sizes[i / 3 / Durations.Length % Sizes.Length];
                surge = new PlantedSurge(random.Next(20, weeks - duration), duration, size);
            }
            var counts = new double[weeks];
            for (var t = 0; t < weeks; t++)
            {
                var mean = level * Math.Exp(amplitude * Math.Sin(2 * Math.PI * t / 52 + phase)) * Math.Pow(1 + trend, t / 52.0);
                if (surge is not null && t >= surge.Start && t <= surge.End) mean *= surge.Size;
                counts[t] = NegativeBinomial(random, mean, dispersion);
            }
            series.Add(new EvaluationSeries($"s{i:D5}", level, counts, surge));
        }
        return series;
    }

    /// <summary>A count with the given mean and variance dispersion × mean (a gamma-mixed Poisson).</summary>
    private static double NegativeBinomial(Random random, double mean, double dispersion)
    {
        if (dispersion <= 1.0001) return Poisson(random, mean);
        var shape = mean / (dispersion - 1);
        return Poisson(random, Gamma(random, shape) * (dispersion - 1));
    }

    private static double Poisson(Random random, double mean)
    {
        // Knuth's method, in pieces small enough that exp(-mean) does not underflow.
        double k = 0;
        while (mean > 0)
        {
            var part = Math.Min(mean, 200);
            mean -= part;
            var limit = Math.Exp(-part);
            for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) k++;
        }
        return k;
    }

    /// <summary>Marsaglia and Tsang's gamma variate with scale 1.</summary>
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            var u = random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
