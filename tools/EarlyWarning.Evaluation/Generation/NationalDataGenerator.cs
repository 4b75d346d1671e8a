namespace EarlyWarning.Evaluation.Generation;

/// <summary>How much to generate: finest series in all, surges to plant, weeks, the last week.</summary>
internal sealed record GeneratorOptions(int Seed, int FinestSeries, int Surges, int Weeks, DateOnly LastWeek)
{
    public static readonly double[] Sizes = [1.5, 2, 2.5, 3, 4];
    public static readonly int[] Durations = [1, 2, 3, 4, 5, 6];

    /// <summary>No surge before this week: a year of history first.</summary>
    public const int FirstSurgeWeek = 60;
}

/// <summary>
/// Realistic national files, deterministic for a seed: countries of very different sizes, finest series from a few
/// events a week to thousands, negative-binomial over-dispersion (variance 1 to 5 times the mean), a yearly season and a
/// trend, each series-week split over sex × the agreement's age bands (a multinomial; zero cells omitted), and surges
/// planted on series of every size class, spread evenly over sizes and durations.
/// </summary>
internal static class NationalDataGenerator
{
    public static Dataset Generate(IReadOnlyList<CountryVocabulary> countries, GeneratorOptions options)
    {
        if (countries.Count == 0) throw new ArgumentException("no country to generate");
        if (options.Weeks < GeneratorOptions.FirstSurgeWeek + 12) throw new ArgumentException($"--weeks must be at least {GeneratorOptions.FirstSurgeWeek + 12}");
        var random = new Random(options.Seed);
        var weeks = Enumerable.Range(0, options.Weeks).Select(i => options.LastWeek.AddDays(-7 * (options.Weeks - 1 - i))).ToArray();

        // Country sizes: a seeded order, each about 0.55 times the one before (from the largest flows to a trickle).
        var order = countries.OrderBy(c => random.Next()).ToList();
        var weights = order.Select((c, rank) => Math.Pow(0.55, rank)).ToArray();
        var plans = new List<(CountryVocabulary Country, int Rank, int Series)>();
        for (var rank = 0; rank < order.Count; rank++)
            plans.Add((order[rank], rank, Math.Max(12, (int)Math.Round(options.FinestSeries * weights[rank] / weights.Sum()))));

        var series = new List<FinestSeries>();
        foreach (var (country, rank, count) in plans.OrderBy(p => p.Country.Country, StringComparer.Ordinal))
        {
            if (country.Points.Count == 0 || country.Categories.Count == 0 || country.Nationalities.Count == 0 || country.AgeBands.Count == 0)
                throw new ArgumentException($"{country.Country}: its policy files give no usable points, categories, nationalities or age bands");
            var local = new Random(Mix(options.Seed, country.Country.Sum(ch => ch * 31)));
            var seen = new HashSet<(int, int, int)>();
            for (var attempts = 0; seen.Count < count && attempts < count * 50; attempts++)
            {
                var key = (Zipf(local, country.Points.Count), Zipf(local, country.Nationalities.Count), Zipf(local, country.Categories.Count));
                if (!seen.Add(key)) continue;
                var level = Level(local, rank, order.Count);
                series.Add(Series(local, series.Count, country, country.Points[key.Item1], country.Nationalities[key.Item2], country.Categories[key.Item3], level, weeks.Length));
            }
        }

        var surges = Plant(random, series, options);
        foreach (var surge in surges) Regenerate(surge, options.Seed);
        var bands = countries.ToDictionary(c => c.Country, c => c.AgeBands);
        foreach (var s in series) Split(s, options.Seed, bands[s.Country]);
        return new Dataset(options.Seed, weeks, countries.OrderBy(c => c.Country, StringComparer.Ordinal).ToList(), series, surges);
    }

    /// <summary>Usual level: many small series, fewer large ones; the largest countries reach thousands a week.</summary>
    private static double Level(Random random, int rank, int countries)
    {
        var big = rank < Math.Max(1, countries / 3);
        var cap = big ? 3000 : rank < 2 * countries / 3 ? 800 : 200;
        var u = random.NextDouble();
        var (lo, hi) = u < 0.35 ? (0.6, 4.0) : u < 0.60 ? (4.0, 10.0) : u < 0.88 ? (10.0, 100.0) : (100.0, cap);
        return Math.Exp(Math.Log(lo) + (Math.Log(hi) - Math.Log(lo)) * random.NextDouble());
    }

    private static FinestSeries Series(Random random, int index, CountryVocabulary country, PointTerm point, NationalityTerm nationality, CategoryTerm category,
        double level, int weeks)
    {
        var amplitude = 0.5 * random.NextDouble();
        var phase = 2 * Math.PI * random.NextDouble();
        var trend = -0.15 + 0.3 * random.NextDouble();
        var expected = new double[weeks];
        for (var t = 0; t < weeks; t++)
            expected[t] = level * Math.Exp(amplitude * Math.Sin(2 * Math.PI * t / 52 + phase)) * Math.Pow(1 + trend, t / 52.0);
        var s = new FinestSeries(index, country.Country, point, nationality, category, level, expected, new long[weeks], new NationalCell[weeks][]);
        Draw(s, 0, weeks, new Random(random.Next()), 1 + 4 * random.NextDouble());
        return s;
    }

    /// <summary>Weekly totals of weeks from..to−1: negative binomial around the expected count with variance dispersion × mean.</summary>
    private static void Draw(FinestSeries s, int from, int to, Random random, double dispersion)
    {
        for (var t = from; t < to; t++) s.Totals[t] = NegativeBinomial(random, s.Expected[t], dispersion);
    }

    private static List<PlantedSurge> Plant(Random random, List<FinestSeries> series, GeneratorOptions options)
    {
        var surges = new List<PlantedSurge>();
        var free = SizeClasses.All.ToDictionary(c => c, c => series.Where(s => s.SizeClass == c).OrderBy(_ => random.Next()).ToList());
        for (var i = 0; i < options.Surges; i++)
        {
            var wanted = SizeClasses.All[i % SizeClasses.All.Length];
            var pool = free[wanted].Count > 0 ? free[wanted] : free.Values.FirstOrDefault(p => p.Count > 0);
            if (pool is null) break;
            var s = pool[^1];
            pool.RemoveAt(pool.Count - 1);
            var size = GeneratorOptions.Sizes[i / SizeClasses.All.Length % GeneratorOptions.Sizes.Length];
            // Every run of six surges covers every duration, so each size, class and duration gets its share whatever the count.
            var duration = GeneratorOptions.Durations[(i + i / (SizeClasses.All.Length * GeneratorOptions.Sizes.Length)) % GeneratorOptions.Durations.Length];
            var start = random.Next(GeneratorOptions.FirstSurgeWeek, options.Weeks - duration - 1);
            surges.Add(new PlantedSurge(surges.Count + 1, s, start, duration, size));
        }
        return surges;
    }

    /// <summary>The surge multiplies the expected count of its weeks; those weeks are drawn again with the series' own over-dispersion.</summary>
    private static void Regenerate(PlantedSurge surge, int seed)
    {
        var s = surge.Series;
        var random = new Random(Mix(seed, s.Index, 7919));
        var dispersion = 1 + 4 * random.NextDouble();
        for (var t = surge.Start; t <= surge.End; t++) s.Expected[t] *= surge.Size;
        Draw(s, surge.Start, surge.End + 1, random, dispersion);
    }

    /// <summary>Each week's total split over sex × age band with the series' own shares (a multinomial); zero cells are not written.</summary>
    private static void Split(FinestSeries s, int seed, IReadOnlyList<string> bands)
    {
        var random = new Random(Mix(seed, s.Index, 104729));
        var female = 0.3 + 0.3 * random.NextDouble();
        var shares = new List<(string Sex, string Band, double Share)>();
        for (var b = 0; b < bands.Count; b++)
        {
            // Children first, the elderly last, adults (the middle bands) most of the flow.
            var weight = (b == 0 ? 0.25 : b == bands.Count - 1 ? 0.07 : 0.68 / Math.Max(1, bands.Count - 2)) * (0.6 + 0.8 * random.NextDouble());
            shares.Add(("F", bands[b], weight * female));
            shares.Add(("M", bands[b], weight * (1 - female)));
        }
        var sum = shares.Sum(x => x.Share);
        for (var t = 0; t < s.Totals.Length; t++)
        {
            var cells = new List<NationalCell>(shares.Count);
            var left = s.Totals[t];
            var rest = 1.0;
            for (var i = 0; i < shares.Count && left > 0; i++)
            {
                var p = shares[i].Share / sum;
                var n = i == shares.Count - 1 ? left : Binomial(random, left, Math.Min(1, p / rest));
                rest -= p;
                left -= n;
                if (n > 0) cells.Add(new NationalCell(shares[i].Sex, shares[i].Band, (int)n));
            }
            s.Cells[t] = cells.ToArray();
        }
    }

    /// <summary>A seed from several numbers, the same in every process (HashCode.Combine is randomized per process).</summary>
    private static int Mix(params int[] values)
    {
        unchecked
        {
            var h = (uint)2166136261;
            foreach (var v in values) { h ^= (uint)v; h *= 16777619; h ^= h >> 15; }
            return (int)(h & 0x7fffffff);
        }
    }

    /// <summary>A Zipf-like index: the first values of a vocabulary are the most frequent (a few corridors carry most of the flow).</summary>
    private static int Zipf(Random random, int n)
    {
        var total = 0.0;
        for (var i = 1; i <= n; i++) total += 1.0 / i;
        var u = random.NextDouble() * total;
        for (var i = 1; i <= n; i++)
        {
            u -= 1.0 / i;
            if (u <= 0) return i - 1;
        }
        return n - 1;
    }

    internal static long NegativeBinomial(Random random, double mean, double dispersion)
    {
        if (mean <= 0) return 0;
        if (dispersion <= 1.0001) return Poisson(random, mean);
        var shape = mean / (dispersion - 1);
        return Poisson(random, Gamma(random, shape) * (dispersion - 1));
    }

    private static long Poisson(Random random, double mean)
    {
        if (mean <= 0) return 0;
        if (mean > 60) return Math.Max(0, (long)Math.Round(mean + Math.Sqrt(mean) * Normal(random)));
        var limit = Math.Exp(-mean);
        long k = 0;
        var p = random.NextDouble();
        while (p > limit) { k++; p *= random.NextDouble(); }
        return k;
    }

    private static long Binomial(Random random, long n, double p)
    {
        if (p <= 0 || n == 0) return 0;
        if (p >= 1) return n;
        if (n > 200)
        {
            var mean = n * p;
            var sd = Math.Sqrt(n * p * (1 - p));
            return Math.Clamp((long)Math.Round(mean + sd * Normal(random)), 0, n);
        }
        long k = 0;
        for (var i = 0; i < n; i++) if (random.NextDouble() < p) k++;
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
            do { x = Normal(random); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            var u = random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
