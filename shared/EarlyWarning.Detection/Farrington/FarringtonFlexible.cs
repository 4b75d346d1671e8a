using EarlyWarning.Detection.Farrington;

namespace EarlyWarning.Detection;

/// <summary>
/// R's surveillance::farringtonFlexible (version 1.20.x) for a series without population offset, as R
/// computes it for an sts object whose epochs are period indices. Where R stops with an error for a period
/// (reference periods before the start of the series, a model that converges neither with nor without
/// trend), that period has no bound.
/// A missing week (NaN) is left out of the reference data, as R drops NA responses before the fit (so the
/// leverages, weights and dispersion are those of the weeks present); one in limit54's window, the judged week
/// included, leaves the period without bound, as R's NA sum there does.
/// </summary>
public static class FarringtonFlexible
{
    public static PeriodResult[] Evaluate(ReadOnlySpan<double> counts, int frequency, EvaluationRange range, FarringtonOptions? options = null)
    {
        options ??= new FarringtonOptions();
        options.Validate(frequency);
        var workspace = new Workspace(counts.Length, options.NoPeriods);
        for (var i = 0; i < counts.Length; i++) workspace.TwoThirds[i] = Math.Cbrt(counts[i] * counts[i]);
        var results = new List<PeriodResult>();
        foreach (var k in range.Within(counts.Length))
            results.Add(PreparePeriod(counts, frequency, k, options, workspace).Decide(k, counts[k - 1]));
        return results.ToArray();
    }

    /// <summary>
    /// The bound of the last of <paramref name="counts"/> (<see cref="PeriodBound"/>), as <see cref="Evaluate"/> computes it, from
    /// the ones before it: its own count is not read.
    /// </summary>
    public static PeriodBound PrepareLast(ReadOnlySpan<double> counts, int frequency, FarringtonOptions? options = null)
    {
        options ??= new FarringtonOptions();
        options.Validate(frequency);
        var workspace = new Workspace(counts.Length, options.NoPeriods);
        for (var i = 0; i < counts.Length - 1; i++) workspace.TwoThirds[i] = Math.Cbrt(counts[i] * counts[i]);
        return PreparePeriod(counts, frequency, counts.Length, options, workspace);
    }

    private sealed class Workspace(int length, int noPeriods)
    {
        public readonly GlmBuffers Buffers = new(length, noPeriods + 2);
        public readonly int[] Blocks = new int[length + 1];
        public readonly GlmDesign Design = new(length);
        public readonly double[] Weights = new double[length];
        public readonly int[] LevelColumn = new int[length + 2];
        public readonly double[] TwoThirds = new double[length];
        public readonly double[] Leverage = new double[length];
    }

    /// <summary>Period k's bound from the periods before it: counts[k − 1] is not read (the reference periods end before k − pastWeeksNotIncluded).</summary>
    private static PeriodBound PreparePeriod(ReadOnlySpan<double> counts, int frequency, int k, FarringtonOptions o, Workspace ws)
    {
        var oldestReference = k - o.B * frequency;
        // R needs every reference period, and the window around the oldest one may only reach index 0.
        if (oldestReference < 1 || oldestReference - o.W < 0) return PeriodBound.NoBound;

        // limit54 counts the period itself: its part of the sum is added when the count is known. R's sum is NA when
        // one of the weeks is missing, which leaves the period without bound whatever the model says: no need to fit it.
        var recent = 0.0;
        for (var t = Math.Max(1, k - o.Limit54Periods + 1); t < k; t++) recent += counts[t - 1];
        if (double.IsNaN(recent)) return PeriodBound.NoBound;

        var p = o.NoPeriods;
        BuildBlocks(ws.Blocks, counts.Length, k, frequency, o.B, o.W, p);
        var excluded = o.PastWeeksNotIncluded ?? o.W;
        var design = ws.Design;
        var factors = p != 1;
        if (!BuildDesign(counts, ws, k, excluded, factors, p, out var predictionDummy))
            return PeriodBound.NoBound;

        var model = FitModel(design, ws, o, timeTrend: o.Trend);
        if (model is null) return PeriodBound.NoBound;
        if (model.Value.HasTime)
        {
            var fit = model.Value.Fit;
            var (eta, _) = fit.PredictLink(k, predictionDummy, model.Value.SummaryDispersion);
            var pValue = fit.TimePValue(model.Value.SummaryDispersion);
            // R fails here ("missing value where TRUE/FALSE needed") when the p-value is NaN.
            if (double.IsNaN(pValue)) return PeriodBound.NoBound;
            var doTrend = o.B >= 3 && pValue < o.PThresholdTrend && InverseLink(eta) <= MaxResponse(design);
            if (!doTrend)
            {
                model = FitModel(design, ws, o, timeTrend: false);
                if (model is null) return PeriodBound.NoBound;
            }
        }

        var (linkEta, linkSe) = model.Value.Fit.PredictLink(k, predictionDummy, model.Value.SummaryDispersion);
        var phi = model.Value.Phi;
        var (upper, origin, expected) = o.ThresholdMethod == ThresholdMethod.Delta
            ? DeltaThreshold(linkEta, linkSe, phi, o)
            : NoufailyThreshold(linkEta, linkSe, phi, o);

        return new PeriodBound(PeriodBoundKind.Farrington, upper, origin, expected, recent, o.Limit54Cases);
    }

    private static double InverseLink(double eta) => Math.Max(Math.Exp(eta), Distributions.MachineEpsilon);

    private static double MaxResponse(GlmDesign design)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < design.Rows; i++) max = Math.Max(max, design.Response[i]);
        return max;
    }

    /// <summary>R's blocks(): 1-based vector of season-factor levels, 0 for NA.</summary>
    private static void BuildBlocks(int[] blocks, int n, int k, int frequency, int b, int w, int p)
    {
        Array.Clear(blocks);
        void Set(int from, int to, int level)
        {
            // R's from:to counts down when to < from; index 0 is ignored.
            var step = to >= from ? 1 : -1;
            for (var t = from; ; t += step)
            {
                if (t >= 1 && t <= n) blocks[t] = level;
                if (t == to) break;
            }
        }
        Set(k - w, k, p);
        for (var i = 1; i <= b; i++)
        {
            var reference = k - i * frequency;
            Set(reference - w, reference + w, p);
            if (p == 1) continue;
            var period = frequency - 2 * w - 1;
            var length = period / (p - 1);
            var rest = period % (p - 1);
            var cumulative = 0;
            for (var j = 1; j <= p - 1; j++)
            {
                var size = length + (j <= rest ? 1 : 0);
                Set(reference + w + 1 + cumulative, reference + w + 1 + cumulative + size - 1, j);
                cumulative += size;
            }
        }
    }

    /// <summary>Rows for the reference periods, the season factor's dummies, and the dummy of the period being judged.</summary>
    private static bool BuildDesign(ReadOnlySpan<double> counts, Workspace ws, int k, int excluded, bool factors, int p, out int predictionDummy)
    {
        var design = ws.Design;
        var blocks = ws.Blocks;
        var rows = 0;
        Span<bool> present = stackalloc bool[p + 1];
        for (var t = 1; t <= k; t++)
        {
            if (blocks[t] == 0 || t >= k - excluded) continue;
            var y = counts[t - 1];
            if (double.IsNaN(y)) continue;
            design.Response[rows] = y;
            design.ResponseTwoThirds[rows] = ws.TwoThirds[t - 1];
            design.Time[rows] = t;
            design.Dummy[rows] = blocks[t];
            ws.Weights[rows] = 1;
            present[blocks[t]] = true;
            rows++;
        }
        design.Rows = rows;
        predictionDummy = -1;
        if (!factors)
        {
            design.Dummies = 0;
            for (var i = 0; i < rows; i++) design.Dummy[i] = -1;
            return rows > 0;
        }
        // Treatment contrasts: the smallest level present is the reference; the others get a column each.
        var columns = 0;
        var first = true;
        for (var level = 1; level <= p; level++)
        {
            if (!present[level]) { ws.LevelColumn[level] = int.MinValue; continue; }
            ws.LevelColumn[level] = first ? -1 : columns++;
            first = false;
        }
        design.Dummies = columns;
        // R: predict with a level the fit never saw fails ("factor seasgroups has new level").
        if (!present[p] || rows == 0) return false;
        predictionDummy = ws.LevelColumn[p];
        for (var i = 0; i < rows; i++) design.Dummy[i] = ws.LevelColumn[design.Dummy[i]];
        return true;
    }

    /// <param name="Phi">max(dispersion, 1): the over-dispersion used by the thresholds.</param>
    /// <param name="SummaryDispersion">What summary.glm and predict.glm see as the dispersion of the returned model.</param>
    private readonly record struct FittedModel(QuasiPoissonFit Fit, double Phi, double SummaryDispersion, bool HasTime);

    /// <summary>
    /// R's algo.farrington.fitGLM.flexible: fit with (or without) trend, without trend if that does not
    /// converge; then down-weight past outbreaks and fit again.
    /// </summary>
    private static FittedModel? FitModel(GlmDesign design, Workspace ws, FarringtonOptions o, bool timeTrend)
    {
        design.HasTime = timeTrend;
        for (var i = 0; i < design.Rows; i++) design.PriorWeights[i] = 1;
        var fit = new QuasiPoissonFit(design, ws.Buffers);
        if ((fit.Failed || !fit.Converged) && timeTrend)
        {
            design.HasTime = false;
            fit = new QuasiPoissonFit(design, ws.Buffers);
        }
        if (fit.Failed || !fit.Converged) return null;
        var phi = RMax(fit.Dispersion, 1);
        if (o.Reweight)
        {
            var n = design.Rows;
            var s = ws.Weights;
            var h = ws.Leverage;
            fit.Leverages(h);
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                var mu = fit.Fitted[i];
                // μ^(−1/6) as exp(−η/6): log μ is η unless μ was clipped at ε.
                var muMinusSixth = mu == Distributions.MachineEpsilon ? Math.Pow(mu, -1.0 / 6) : Math.Exp(-fit.LinearPredictors[i] / 6);
                // Anscombe residual: 3/2·(y^(2/3)·μ^(−1/6) − μ^(1/2)) / √(φ(1 − h)).
                s[i] = 1.5 * (design.ResponseTwoThirds[i] * muMinusSixth - Math.Sqrt(mu)) / Math.Sqrt(phi * (1 - h[i]));
                if (double.IsNaN(s[i])) return null;
                sum += s[i] > o.WeightsThreshold ? 1 / (s[i] * s[i]) : 1;
            }
            var gamma = n / sum;
            for (var i = 0; i < n; i++)
                design.PriorWeights[i] = s[i] > o.WeightsThreshold ? gamma / (s[i] * s[i]) : gamma;
            fit = new QuasiPoissonFit(design, ws.Buffers);
            // R does not look at convergence here; only a fit that produced no coefficients is lost.
            if (fit.Failed) return null;
            phi = RMax(fit.Dispersion, 1);
            return new FittedModel(fit, phi, fit.DispersionWithPriorWeights(), design.HasTime);
        }
        return new FittedModel(fit, phi, fit.Dispersion, design.HasTime);
    }

    /// <summary>R's max(a, b): NaN when either is NaN.</summary>
    private static double RMax(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b);

    /// <summary>algo.farrington.threshold.farrington: prediction on the response scale, delta method after a power transform.</summary>
    /// <returns>The bound, the point a count's score is measured from (score = (y − origin)/(upper − origin)), and the expected count.</returns>
    private static (double Upper, double Origin, double Expected) DeltaThreshold(double eta, double linkSe, double phi, FarringtonOptions o)
    {
        var mu0 = InverseLink(eta);
        var se = linkSe * mu0;
        var tau = phi + se * se / mu0;
        var (sd, exponent) = o.PowerTransform switch
        {
            PowerTransform.None => (Math.Sqrt(mu0 * tau), 1.0),
            PowerTransform.Half => (Math.Sqrt(0.25 * tau), 0.5),
            _ => (Math.Sqrt(4.0 / 9 * Math.Pow(mu0, 1.0 / 3) * tau), 2.0 / 3),
        };
        var z = Normal.Quantile(1 - o.Alpha);
        var a = Math.Pow(Math.Pow(mu0, exponent) - z * sd, 1 / exponent);
        var b = Math.Pow(Math.Pow(mu0, exponent) + z * sd, 1 / exponent);
        // sort(c(a, b), na.last = FALSE): NaN first, then ascending.
        var upper = double.IsNaN(a) || double.IsNaN(b) ? (double.IsNaN(b) ? a : b) : Math.Max(a, b);
        if (double.IsNaN(a) && double.IsNaN(b)) upper = double.NaN;
        return (upper, mu0, mu0);
    }

    /// <summary>algo.farrington.threshold.noufaily: a negative binomial (or Poisson, when phi ≤ 1) quantile.</summary>
    private static (double Upper, double Origin, double Expected) NoufailyThreshold(double eta, double linkSe, double phi, FarringtonOptions o)
    {
        var mu = o.ThresholdMethod == ThresholdMethod.NbPlugin
            ? Math.Exp(eta)
            : Math.Exp(eta + linkSe * Normal.Quantile(1 - o.Alpha));
        if (double.IsPositiveInfinity(mu) || double.IsNaN(mu) || double.IsNaN(phi)) return (double.NaN, double.NaN, double.NaN);
        var upper = phi > 1
            ? Distributions.NegativeBinomialQuantile(1 - o.Alpha, mu / (phi - 1), 1 / phi)
            : Distributions.PoissonQuantile(1 - o.Alpha, mu);
        // R scores against the prediction on the link scale here.
        return (upper, eta, Math.Exp(eta));
    }
}
