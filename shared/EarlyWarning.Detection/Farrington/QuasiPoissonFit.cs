using System.Runtime.Intrinsics;

namespace EarlyWarning.Detection.Farrington;

/// <summary>
/// A quasi-Poisson regression with log link, fitted by iteratively reweighted least squares exactly as R's
/// glm.fit does it: start at mu = y + 0.1, working weights from the previous iterate, convergence when
/// |dev − dev_old| / (|dev| + 0.1) &lt; 1e-8, at most 25 iterations, step halving on an invalid deviance.
/// What summary.glm and predict.glm report is computed from the same quantities they use.
/// </summary>
internal sealed class QuasiPoissonFit
{
    private const double Tolerance = 1e-8;
    private const int MaximumIterations = 25;

    private readonly GlmDesign _design;
    private readonly GlmBuffers _buffers;
    private readonly double[] _beta;
    private readonly double[] _mu;
    private readonly double[] _eta;
    private readonly double[] _workingWeights;
    private readonly double[] _logResponse;
    /// <summary>(X'WX)⁻¹ with the working weights of the last iteration: R's cov.unscaled.</summary>
    private readonly double[] _covariance;

    public QuasiPoissonFit(GlmDesign design, GlmBuffers buffers)
    {
        _design = design;
        var p = design.Columns;
        _buffers = buffers;
        _beta = buffers.Beta;
        _mu = buffers.Mu;
        _eta = buffers.Eta;
        _workingWeights = buffers.WorkingWeights;
        _logResponse = buffers.LogResponse;
        _covariance = buffers.Covariance;
        var outcome = Fit();
        Failed = outcome is null;
        Converged = outcome == true;
        if (Failed) return;
        DegreesOfFreedom = CountPositiveWeights() - p;
        Dispersion = ComputeDispersion();
    }

    /// <summary>The iterations met R's convergence criterion within 25 steps.</summary>
    public bool Converged { get; }
    /// <summary>No coefficients could be computed at all (singular X'WX, or no valid step): R's glm would stop with an error.</summary>
    public bool Failed { get; }
    public int DegreesOfFreedom { get; }
    /// <summary>summary.glm's estimated dispersion: Σ w·r² over rows with positive weight, / residual df (NaN when df is 0).</summary>
    public double Dispersion { get; }
    public ReadOnlySpan<double> Fitted => _mu.AsSpan(0, _design.Rows);

    public ReadOnlySpan<double> LinearPredictors => _eta.AsSpan(0, _design.Rows);

    /// <summary>
    /// hatvalues(): h_i = w_i · x_i' (X'WX)⁻¹ x_i for every row. Within a season level x_i'Vx_i is a quadratic
    /// in the time, a + b·t + c·t², whose coefficients are computed once per level.
    /// </summary>
    public void Leverages(Span<double> h)
    {
        var d = _design;
        var p = d.Columns;
        var v = _covariance;
        var levels = d.Dummies + 1;
        Span<double> a = stackalloc double[levels], b = stackalloc double[levels], c = stackalloc double[levels];
        for (var level = 0; level < levels; level++)
        {
            var column = level == 0 ? -1 : d.FirstDummyColumn + level - 1;
            a[level] = v[0] + (column >= 0 ? 2 * v[column] + v[column * p + column] : 0);
            b[level] = d.HasTime ? 2 * (v[1] + (column >= 0 ? v[p + column] : 0)) : 0;
            c[level] = d.HasTime ? v[p + 1] : 0;
        }
        for (var i = 0; i < d.Rows; i++)
        {
            var level = d.Dummy[i] + 1;
            var t = d.Time[i];
            h[i] = _workingWeights[i] == 0 ? 0 : _workingWeights[i] * (a[level] + t * (b[level] + t * c[level]));
        }
    }

    /// <summary>
    /// summary.glm's dispersion had the model's working weights been replaced by its prior weights, which
    /// is what R's algo.farrington.fitGLM.flexible does to a reweighted model (model$weights &lt;- omega)
    /// before the trend test and the prediction use it: Σ ω·((y − μ)/μ)² over ω &gt; 0, / residual df.
    /// </summary>
    public double DispersionWithPriorWeights()
    {
        if (DegreesOfFreedom <= 0) return double.NaN;
        var sum = 0.0;
        for (var i = 0; i < _design.Rows; i++)
        {
            var w = _design.PriorWeights[i];
            if (w <= 0) continue;
            var residual = (_design.Response[i] - _mu[i]) / _mu[i];
            sum += w * residual * residual;
        }
        return sum / DegreesOfFreedom;
    }

    /// <summary>Two-sided t-test p-value of the time coefficient, as summary.glm gives it for a quasi family with the given dispersion.</summary>
    public double TimePValue(double dispersion)
    {
        var se = Math.Sqrt(dispersion * _covariance[1 * _design.Columns + 1]);
        return Distributions.TwoSidedTPValue(_beta[1] / se, DegreesOfFreedom);
    }

    /// <summary>predict.glm(type = "link", se.fit = TRUE) for one new row, with summary.glm's dispersion as given.</summary>
    public (double Eta, double StandardError) PredictLink(double time, int dummy, double dispersion)
    {
        var eta = _beta[0];
        if (_design.HasTime) eta += _beta[1] * time;
        if (dummy >= 0) eta += _beta[_design.FirstDummyColumn + dummy];
        var variance = _design.QuadraticForm(_covariance, _design.Columns, time, dummy);
        return (eta, Math.Sqrt(variance * dispersion));
    }

    private static double InverseLink(double eta) => Math.Max(Math.Exp(eta), Distributions.MachineEpsilon);

    /// <summary>
    /// Σ 2·prior·(y·log(y/μ) − (y − μ)). With the log link log μ is η (unless μ was clipped at ε), so
    /// y·log(y/μ) = y·(log y − log μ), with log y computed once per fit rather than a log per row per iteration.
    /// </summary>
    private double Deviance()
    {
        var d = _design;
        var sum = 0.0;
        for (var i = 0; i < d.Rows; i++)
        {
            var y = d.Response[i];
            var mu = _mu[i];
            var logMu = mu == Distributions.MachineEpsilon ? LogEpsilon : _eta[i];
            sum += 2 * d.PriorWeights[i] * ((y == 0 ? 0 : y * (_logResponse[i] - logMu)) - (y - mu));
        }
        return sum;
    }

    private static readonly double LogEpsilon = Math.Log(Distributions.MachineEpsilon);

    /// <summary>True when converged, false when the iterations ran out (the last iterate is kept, as R keeps it), null on failure.</summary>
    /// <remarks>
    /// The rows of one season level share their columns, so X'WX and X'Wz are assembled from five sums per
    /// level (Σw, Σwt, Σwt², Σwz, Σwtz) instead of being updated entry by entry for every row.
    /// </remarks>
    private bool? Fit()
    {
        var d = _design;
        var n = d.Rows;
        var p = d.Columns;
        var levels = d.Dummies + 1;
        var hasTime = d.HasTime;
        var firstDummy = d.FirstDummyColumn;
        for (var i = 0; i < n; i++)
        {
            _logResponse[i] = d.Response[i] > 0 ? Math.Log(d.Response[i]) : 0;
            // As glm.fit: η = log(y + 0.1), then μ = linkinv(η).
            _eta[i] = Math.Log(d.Response[i] + 0.1);
            _mu[i] = InverseLink(_eta[i]);
        }
        var devOld = Deviance();
        Span<double> sums = stackalloc double[5 * levels];
        Span<double> offsets = stackalloc double[levels];
        var xtwx = _buffers.Xtwx;
        var xtwz = _buffers.Xtwz;
        var factor = _buffers.Factor;
        var previous = _buffers.Previous;
        var havePrevious = false;
        var response = d.Response;
        var time = d.Time;
        var dummy = d.Dummy;
        var prior = d.PriorWeights;

        for (var iteration = 1; iteration <= MaximumIterations; iteration++)
        {
            sums.Clear();
            for (var i = 0; i < n; i++)
            {
                // For the log link dμ/dη = max(exp η, ε) is μ itself, so the working weight prior·(dμ/dη)²/μ is prior·μ.
                var mu = _mu[i];
                var w = prior[i] > 0 ? prior[i] * mu : 0;
                _workingWeights[i] = w;
                if (w == 0) continue;
                var z = _eta[i] + (response[i] - mu) / mu;
                var t = time[i];
                var at = 5 * (dummy[i] + 1);
                sums[at] += w;
                sums[at + 1] += w * t;
                sums[at + 2] += w * t * t;
                sums[at + 3] += w * z;
                sums[at + 4] += w * t * z;
            }
            Assemble(sums, levels, hasTime, firstDummy, p, xtwx, xtwz);
            if (!Cholesky.Factor(xtwx, factor, p)) return null;
            xtwz.CopyTo(_beta, 0);
            Cholesky.Solve(factor, _beta, p);
            var dev = Update(offsets);
            // Step halving towards the previous coefficients while the deviance is not finite (R: "inner loop 1").
            for (var halving = 0; !double.IsFinite(dev); halving++)
            {
                if (!havePrevious || halving >= MaximumIterations) return null;
                for (var a = 0; a < p; a++) _beta[a] = (_beta[a] + previous[a]) / 2;
                dev = Update(offsets);
            }
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < Tolerance)
            {
                // R's cov.unscaled comes from the decomposition of the last iteration.
                Cholesky.Invert(factor, _covariance, p);
                return true;
            }
            devOld = dev;
            _beta.CopyTo(previous, 0);
            havePrevious = true;
        }
        Cholesky.Invert(factor, _covariance, p);
        return false;
    }

    private static void Assemble(ReadOnlySpan<double> sums, int levels, bool hasTime, int firstDummy, int p, double[] xtwx, double[] xtwz)
    {
        Array.Clear(xtwx);
        Array.Clear(xtwz);
        for (var level = 0; level < levels; level++)
        {
            var at = 5 * level;
            double w = sums[at], wt = sums[at + 1], wtt = sums[at + 2], wz = sums[at + 3], wtz = sums[at + 4];
            xtwx[0] += w;
            xtwz[0] += wz;
            if (hasTime)
            {
                xtwx[1] += wt; xtwx[p] += wt;
                xtwx[p + 1] += wtt;
                xtwz[1] += wtz;
            }
            if (level == 0) continue;
            var c = firstDummy + level - 1;
            xtwx[c] += w; xtwx[c * p] += w;
            xtwx[c * p + c] += w;
            xtwz[c] += wz;
            if (hasTime) { xtwx[c * p + 1] += wt; xtwx[p + c] += wt; }
        }
    }

    /// <summary>η = Xβ, μ = linkinv(η) and the deviance. The exponentials, most of the fit's cost, are taken four at a time.</summary>
    private double Update(Span<double> offsets)
    {
        var d = _design;
        var n = d.Rows;
        offsets[0] = 0;
        for (var level = 1; level < offsets.Length; level++) offsets[level] = _beta[d.FirstDummyColumn + level - 1];
        var slope = d.HasTime ? _beta[1] : 0;
        var intercept = _beta[0];
        for (var i = 0; i < n; i++) _eta[i] = intercept + slope * d.Time[i] + offsets[d.Dummy[i] + 1];
        var i4 = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i4 + 4 <= n; i4 += 4)
                Vector256.Exp(Vector256.Create<double>(_eta.AsSpan(i4, 4))).CopyTo(_mu.AsSpan(i4, 4));
        for (; i4 < n; i4++) _mu[i4] = Math.Exp(_eta[i4]);
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            var mu = _mu[i];
            var logMu = _eta[i];
            if (!(mu >= Distributions.MachineEpsilon))
            {
                if (double.IsNaN(mu)) return double.NaN;
                _mu[i] = mu = Distributions.MachineEpsilon;
                logMu = LogEpsilon;
            }
            var y = d.Response[i];
            sum += 2 * d.PriorWeights[i] * ((y == 0 ? 0 : y * (_logResponse[i] - logMu)) - (y - mu));
        }
        return sum;
    }

    private int CountPositiveWeights()
    {
        var count = 0;
        for (var i = 0; i < _design.Rows; i++) if (_design.PriorWeights[i] > 0) count++;
        return count;
    }

    private double ComputeDispersion()
    {
        if (DegreesOfFreedom <= 0) return double.NaN;
        var sum = 0.0;
        for (var i = 0; i < _design.Rows; i++)
        {
            if (_workingWeights[i] <= 0) continue;
            var residual = (_design.Response[i] - _mu[i]) / _mu[i];
            sum += _workingWeights[i] * residual * residual;
        }
        return sum / DegreesOfFreedom;
    }
}
