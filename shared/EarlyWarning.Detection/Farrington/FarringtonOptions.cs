namespace EarlyWarning.Detection;

/// <summary>How farringtonFlexible turns the regression's prediction into a threshold (R: thresholdMethod).</summary>
public enum ThresholdMethod
{
    /// <summary>Farrington et al. (1996): delta method on a power-transformed scale.</summary>
    Delta,
    /// <summary>Noufaily et al. (2013): negative binomial quantile at the predicted mean.</summary>
    NbPlugin,
    /// <summary>Noufaily et al. (2013): negative binomial quantile at the upper quantile of the predicted mean.</summary>
    Muan,
}

/// <summary>Power transformation for the delta-method threshold (R: powertrans "2/3", "1/2", "none").</summary>
public enum PowerTransform
{
    TwoThirds,
    Half,
    None,
}

/// <summary>The options of R's farringtonFlexible control list that change its result, with R's defaults.</summary>
public sealed record FarringtonOptions
{
    /// <summary>Number of past years in the reference data (R: b = 5).</summary>
    public int B { get; init; } = 5;
    /// <summary>Half-width of the window around each reference period (R: w = 3).</summary>
    public int W { get; init; } = 3;
    /// <summary>Down-weight past outbreaks by their Anscombe residuals (R: reweight = TRUE).</summary>
    public bool Reweight { get; init; } = true;
    /// <summary>Residuals above this are down-weighted (R: weightsThreshold = 2.58; Noufaily recommends 2.58 too, Farrington used 1).</summary>
    public double WeightsThreshold { get; init; } = 2.58;
    /// <summary>R: alpha = 0.05 (one-sided).</summary>
    public double Alpha { get; init; } = 0.05;
    /// <summary>Fit a time trend, kept when significant, with b ≥ 3 and no extrapolation (R: trend = TRUE).</summary>
    public bool Trend { get; init; } = true;
    /// <summary>Significance level of the trend (R: pThresholdTrend = 0.05; 1 keeps every trend, as Noufaily et al.).</summary>
    public double PThresholdTrend { get; init; } = 0.05;
    /// <summary>No alarm unless at least Cases were counted in the last Periods periods (R: limit54 = c(5, 4)).</summary>
    public int Limit54Cases { get; init; } = 5;
    public int Limit54Periods { get; init; } = 4;
    /// <summary>R: powertrans = "2/3".</summary>
    public PowerTransform PowerTransform { get; init; } = PowerTransform.TwoThirds;
    /// <summary>Number of levels of the seasonal factor; 1 means none (R: noPeriods = 1; Noufaily: 10).</summary>
    public int NoPeriods { get; init; } = 1;
    /// <summary>Most recent periods left out of the reference data; null means w (R: pastWeeksNotIncluded = NULL; Noufaily: 26).</summary>
    public int? PastWeeksNotIncluded { get; init; }
    /// <summary>R: thresholdMethod = "delta".</summary>
    public ThresholdMethod ThresholdMethod { get; init; } = ThresholdMethod.Delta;

    /// <summary>The settings Noufaily et al. (2013) recommend, as the issue of record names them.</summary>
    public static FarringtonOptions Noufaily { get; } = new()
    {
        NoPeriods = 10, PastWeeksNotIncluded = 26, ThresholdMethod = ThresholdMethod.NbPlugin, PThresholdTrend = 1,
    };

    internal void Validate(int frequency)
    {
        if (B < 1) throw new ArgumentException("b must be at least 1");
        if (W < 0) throw new ArgumentException("w must not be negative");
        if (Alpha is <= 0 or >= 1) throw new ArgumentException("alpha must lie between 0 and 1");
        if (NoPeriods < 1) throw new ArgumentException("noPeriods must be at least 1");
        if (Limit54Cases < 0 || Limit54Periods <= 0) throw new ArgumentException("The limit54 arguments are out of bounds: cases >= 0 and period > 0.");
        if (PastWeeksNotIncluded < 0) throw new ArgumentException("pastWeeksNotIncluded must not be negative");
        if (NoPeriods != 1 && frequency - 2 * W - 1 < NoPeriods - (2 * W + 1))
            throw new ArgumentException("Number of factors too big!");
    }
}
