namespace EarlyWarning.IntegrationTests;

/// <summary>Random weekly counts for the tests' national files.</summary>
internal static class RandomCounts
{
    /// <summary>A Poisson draw by Knuth's method: fine for the small means of test series.</summary>
    public static long Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        long k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) k++;
        return k;
    }
}
