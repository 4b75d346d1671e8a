namespace EarlyWarning.Detection;

/// <summary>The distribution functions R's algorithms call, with R's conventions.</summary>
internal static class Distributions
{
    /// <summary>DBL_EPSILON (R's .Machine$double.eps); .NET's double.Epsilon is the smallest subnormal instead.</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>R's pt(t, df) for t ≤ 0, i.e. the lower tail.</summary>
    public static double StudentTLowerTail(double t, double df)
    {
        if (double.IsNaN(t) || double.IsNaN(df) || df <= 0) return double.NaN;
        if (double.IsNegativeInfinity(t)) return 0;
        var tail = 0.5 * SpecialFunctions.IncompleteBeta(df / (df + t * t), df / 2, 0.5);
        return t <= 0 ? tail : 1 - tail;
    }

    /// <summary>Two-sided p-value of a t statistic, as summary.glm reports it: 2·pt(−|t|, df).</summary>
    public static double TwoSidedTPValue(double t, double df) => 2 * StudentTLowerTail(-Math.Abs(t), df);

    /// <summary>R's ppois(y, lambda): P(Y ≤ y).</summary>
    public static double PoissonCdf(double y, double lambda) =>
        y < 0 ? 0 : lambda == 0 ? 1 : SpecialFunctions.UpperIncompleteGamma(Math.Floor(y) + 1, lambda);

    /// <summary>R's pnbinom(y, size, prob): P(Y ≤ y) for Y the number of failures before the size-th success.</summary>
    public static double NegativeBinomialCdf(double y, double size, double prob) =>
        y < 0 ? 0 : size == 0 || prob == 1 ? 1 : SpecialFunctions.IncompleteBeta(prob, size, Math.Floor(y) + 1);

    /// <summary>R's qpois(p, lambda).</summary>
    public static double PoissonQuantile(double p, double lambda)
    {
        if (double.IsNaN(p) || double.IsNaN(lambda) || lambda < 0 || double.IsInfinity(lambda)) return double.NaN;
        if (lambda == 0) return 0;
        var sigma = Math.Sqrt(lambda);
        return DiscreteQuantile(p, lambda, sigma, 1 / sigma, y => PoissonCdf(y, lambda));
    }

    /// <summary>R's qnbinom(p, size, prob).</summary>
    public static double NegativeBinomialQuantile(double p, double size, double prob)
    {
        if (double.IsNaN(p) || double.IsNaN(size) || double.IsNaN(prob) || prob <= 0 || prob > 1 || size < 0 || double.IsInfinity(size)) return double.NaN;
        if (prob == 1 || size == 0) return 0;
        var q = 1 / prob;
        var p0 = (1 - prob) * size;
        var mu = p0 / prob;
        var sigma = Math.Sqrt(q * mu);
        var gamma = (q + (1 - prob)) / sigma;
        return DiscreteQuantile(p, mu, sigma, gamma, y => NegativeBinomialCdf(y, size, prob));
    }

    /// <summary>Beyond this mean the exact search is not attempted (see <see cref="DiscreteQuantile"/>).</summary>
    private const double LargestSearchedMean = 1e8;

    /// <summary>
    /// The smallest integer y with cdf(y) ≥ p, searched from R's Cornish–Fisher start, with R's fuzz
    /// p·(1 − 64ε) so that a cdf equal to p up to rounding counts as reaching it. The search gallops away
    /// from the start and then bisects, so it ends in O(log distance) evaluations. For a mean above 1e8
    /// the Cornish–Fisher value itself is returned: the continued fractions behind the cdf need about √mean
    /// terms there, and the relative error of the approximation is far below the count's own noise.
    /// </summary>
    private static double DiscreteQuantile(double p, double mu, double sigma, double gamma, Func<double, double> cdf)
    {
        if (p <= 0) return 0;
        if (p >= 1) return double.PositiveInfinity;
        var z = Normal.Quantile(p);
        var y = Math.Round(mu + sigma * (z + gamma * (z * z - 1) / 6));
        if (y < 0 || double.IsNaN(y)) y = 0;
        if (mu > LargestSearchedMean) return y;
        var target = p * (1 - 64 * MachineEpsilon);
        if (cdf(y) >= target)
        {
            // Down: find a point below the quantile, then bisect.
            for (var step = 1.0; y > 0; step *= 2)
            {
                var lower = Math.Max(0, y - step);
                if (cdf(lower) >= target) { y = lower; continue; }
                return Bisect(lower, y, target, cdf);
            }
            return 0;
        }
        for (var step = 1.0; ; step *= 2)
        {
            var upper = y + step;
            if (cdf(upper) >= target) return Bisect(y, upper, target, cdf);
            y = upper;
            if (step > 1e15) return double.PositiveInfinity;
        }
    }

    /// <summary>Given cdf(below) &lt; target ≤ cdf(above), the smallest integer reaching the target.</summary>
    private static double Bisect(double below, double above, double target, Func<double, double> cdf)
    {
        while (above - below > 1)
        {
            var middle = Math.Floor(below + (above - below) / 2);
            if (cdf(middle) >= target) above = middle; else below = middle;
        }
        return above;
    }
}
