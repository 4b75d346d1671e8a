using FsCheck;
using FsCheck.Fluent;

namespace EarlyWarning.Detection.Tests;

/// <summary>Missing weeks (NaN) laid over a series the ways data go missing: suppressed small counts, at random, in runs, at the end, or all of them.</summary>
internal static class MissingWeeks
{
    public static readonly Gen<(int Pattern, int Seed)> Patterns = Gen.Choose(0, 5).Zip(Gen.Choose(0, int.MaxValue), (pattern, seed) => (pattern, seed));

    public static double[] Apply(double[] counts, (int Pattern, int Seed) how)
    {
        var random = new Random(how.Seed);
        var result = counts.ToArray();
        switch (how.Pattern)
        {
            case 0:
                // A data-privacy agreement with threshold 5 suppresses every count from 1 to 4.
                for (var t = 0; t < result.Length; t++) if (result[t] is >= 1 and <= 4) result[t] = double.NaN;
                break;
            case 1:
            {
                var share = new[] { 0.05, 0.2, 0.5, 0.95 }[random.Next(4)];
                for (var t = 0; t < result.Length; t++) if (random.NextDouble() < share) result[t] = double.NaN;
                break;
            }
            case 2:
                for (var run = random.Next(1, 6); run > 0 && result.Length > 0; run--)
                {
                    var start = random.Next(result.Length);
                    for (var t = start; t < Math.Min(result.Length, start + random.Next(1, 9)); t++) result[t] = double.NaN;
                }
                break;
            case 3:
                for (var t = Math.Max(0, result.Length - random.Next(1, 5)); t < result.Length; t++) result[t] = double.NaN;
                break;
            case 4:
                Array.Fill(result, double.NaN);
                break;
        }
        // Pattern 5 leaves the series complete.
        return result;
    }
}
