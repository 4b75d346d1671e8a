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
    private readonly double[] _beta;
    private readonly double[] _mu;
    private readonly double[] _eta;
    private readonly double[] _workingWeights;
    /// <summary>(X'WX)⁻¹ with the working weights of the last iteration: R's cov.unscaled.</summary>
    private readonly double[] _covariance;

    public QuasiPoissonFit(GlmDesign design)
    {
        _design = design;
        var p = design.Columns;
        _beta = new double[p];
        _mu = new double[design.Rows];
        _eta = new double[design.Rows];
        _workingWeights = new double[design.Rows];
        _covariance = new double[p * p];
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
    public ReadOnlySpan<double> Coefficients => _beta;
    public ReadOnlySpan<double> Fitted => _mu;

    /// <summary>hatvalues(): w_i · x_i' (X'WX)⁻¹ x_i.</summary>
    public double Leverage(int row) =>
        _workingWeights[row] == 0 ? 0 : _workingWeights[row] * _design.QuadraticForm(_covariance, _design.Columns, _design.Time[row], _design.Dummy[row]);

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
            var residual = (_design.Response[i] - _mu[i]) / InverseLink(_eta[i]);
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

    private static double Deviance(GlmDesign d, ReadOnlySpan<double> mu)
    {
        var sum = 0.0;
        for (var i = 0; i < d.Rows; i++)
        {
            var y = d.Response[i];
            sum += 2 * d.PriorWeights[i] * ((y == 0 ? 0 : y * Math.Log(y / mu[i])) - (y - mu[i]));
        }
        return sum;
    }

    /// <summary>True when converged, false when the iterations ran out (the last iterate is kept, as R keeps it), null on failure.</summary>
    private bool? Fit()
    {
        var d = _design;
        var n = d.Rows;
        var p = d.Columns;
        for (var i = 0; i < n; i++)
        {
            _mu[i] = d.Response[i] + 0.1;
            _eta[i] = Math.Log(_mu[i]);
        }
        var devOld = Deviance(d, _mu);
        var z = new double[n];
        var xtwx = new double[p * p];
        var xtwz = new double[p];
        var previous = new double[p];
        var havePrevious = false;

        for (var iteration = 1; iteration <= MaximumIterations; iteration++)
        {
            Array.Clear(xtwx);
            Array.Clear(xtwz);
            for (var i = 0; i < n; i++)
            {
                var muEta = InverseLink(_eta[i]);
                var w = d.PriorWeights[i] > 0 ? d.PriorWeights[i] * muEta * muEta / _mu[i] : 0;
                _workingWeights[i] = w;
                if (w == 0) continue;
                z[i] = _eta[i] + (d.Response[i] - _mu[i]) / muEta;
                Accumulate(xtwx, xtwz, p, d.HasTime, d.Time[i], d.Dummy[i] >= 0 ? d.FirstDummyColumn + d.Dummy[i] : -1, w, z[i]);
            }
            if (!Cholesky.Invert(xtwx, _covariance, p)) return null;
            for (var a = 0; a < p; a++)
            {
                var s = 0.0;
                for (var b = 0; b < p; b++) s += _covariance[a * p + b] * xtwz[b];
                _beta[a] = s;
            }
            var dev = Update();
            // Step halving towards the previous coefficients while the deviance is not finite (R: "inner loop 1").
            for (var halving = 0; !double.IsFinite(dev); halving++)
            {
                if (!havePrevious || halving >= MaximumIterations) return null;
                for (var a = 0; a < p; a++) _beta[a] = (_beta[a] + previous[a]) / 2;
                dev = Update();
            }
            if (Math.Abs(dev - devOld) / (Math.Abs(dev) + 0.1) < Tolerance) return true;
            devOld = dev;
            _beta.CopyTo(previous, 0);
            havePrevious = true;
        }
        return false;
    }

    private double Update()
    {
        for (var i = 0; i < _design.Rows; i++)
        {
            _eta[i] = _design.LinearPredictor(_beta, i);
            _mu[i] = InverseLink(_eta[i]);
        }
        return Deviance(_design, _mu);
    }

    private static void Accumulate(double[] xtwx, double[] xtwz, int p, bool hasTime, double time, int dummy, double w, double z)
    {
        xtwx[0] += w;
        xtwz[0] += w * z;
        if (hasTime)
        {
            xtwx[1] += w * time; xtwx[p] += w * time;
            xtwx[p + 1] += w * time * time;
            xtwz[1] += w * time * z;
        }
        if (dummy >= 0)
        {
            xtwx[dummy] += w; xtwx[dummy * p] += w;
            xtwx[dummy * p + dummy] += w;
            xtwz[dummy] += w * z;
            if (hasTime) { xtwx[dummy * p + 1] += w * time; xtwx[p + dummy] += w * time; }
        }
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
            var residual = (_design.Response[i] - _mu[i]) / InverseLink(_eta[i]);
            sum += _workingWeights[i] * residual * residual;
        }
        return sum / DegreesOfFreedom;
    }
}
