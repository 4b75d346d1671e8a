namespace EarlyWarning.Detection;

/// <summary>How a <see cref="PeriodBound"/> turns a count into a result: one shape per detector family.</summary>
public enum PeriodBoundKind : byte
{
    /// <summary>No bound whatever the count (the history is too short, or R could not fit a model).</summary>
    None = 1,
    /// <summary>EARS C1/C2: A = baseline mean, B = baseline sd, C = bound.</summary>
    Ears = 2,
    /// <summary>EARS C3: A = baseline mean, B = baseline sd, C = z, D = the excesses of the two periods before.</summary>
    EarsC3 = 3,
    /// <summary>CUSUM: A = m, B = the sum before the period, C = k, D = h, E = bound. A missing count gets no result.</summary>
    Cusum = 4,
    /// <summary>Farrington: A = bound, B = the point scores are measured from, C = expected, D = the counts of the limit54 periods before, E = the limit54 cases.</summary>
    Farrington = 5,
}

/// <summary>
/// What a detector computes of one period from the periods before it: everything but the period's own count.
/// <see cref="Decide"/> gives, for any count of the period, exactly the result the detector gives on the whole series (the same
/// arithmetic in the same order), so a revised count is judged again without reading or fitting the history. The detectors
/// themselves evaluate every period this way. A handful of numbers, so that it can be kept with the verdict.
/// </summary>
public readonly record struct PeriodBound(PeriodBoundKind Kind, double A = 0, double B = 0, double C = 0, double D = 0, double E = 0)
{
    public static readonly PeriodBound NoBound = new(PeriodBoundKind.None);

    /// <summary>
    /// Whether every count (counts are never negative) gets a bound. Only Farrington's limit54 rule, which
    /// counts the period itself, can leave a small count without one.
    /// </summary>
    public bool BoundsEveryCount => Kind switch
    {
        PeriodBoundKind.None => false,
        PeriodBoundKind.Farrington => D >= E && !double.IsNaN(A),
        _ => true,
    };

    /// <summary>The detector's result for the period (1-based index <paramref name="period"/>) when its count is <paramref name="observed"/>.</summary>
    public PeriodResult Decide(int period, double observed)
    {
        switch (Kind)
        {
            case PeriodBoundKind.Ears:
                return PeriodResult.From(period, observed, A, C, (observed - A) / B);
            case PeriodBoundKind.EarsC3:
                return PeriodResult.From(period, observed, A, Statistics.PMax(0, observed + B * (C - D)), D);
            case PeriodBoundKind.Cusum:
            {
                // A missing week has no result (Cusum): R's NA sum would have no meaning here.
                if (double.IsNaN(observed)) return PeriodResult.WithoutBound(period, observed);
                var sum = Statistics.PMax(0, B + ((observed - A) / Math.Sqrt(A) - C));
                return new PeriodResult(period, observed, A, E, double.IsNaN(sum) ? null : sum, sum >= D);
            }
            case PeriodBoundKind.Farrington:
            {
                // R's sum over the limit54 window is NA when one of its weeks (this one included) is missing: no bound then.
                if (!(D + observed >= E)) return new PeriodResult(period, observed, null, null, null, false);
                if (double.IsNaN(A)) return new PeriodResult(period, observed, null, null, null, false);
                var score = (observed - B) / (A - B);
                var alarm = !double.IsNaN(score) && score > 1 && observed != 0;
                return new PeriodResult(period, observed, C, A, double.IsNaN(score) ? null : score, alarm);
            }
            default:
                return PeriodResult.WithoutBound(period, observed);
        }
    }
}
