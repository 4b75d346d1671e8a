namespace EarlyWarning.Detection.Farrington;

/// <summary>
/// The design of Farrington's regression: response ~ 1 (+ wtime) (+ seasgroups), one row per reference
/// period. Rows are sparse (an intercept, maybe the time, maybe one dummy of the season factor with
/// treatment contrasts, the first level being the reference), so X'WX is built in O(rows) rather than
/// O(rows × columns²).
/// </summary>
internal sealed class GlmDesign
{
    public GlmDesign(int capacity)
    {
        Response = new double[capacity];
        Time = new double[capacity];
        Dummy = new int[capacity];
        PriorWeights = new double[capacity];
        ResponseTwoThirds = new double[capacity];
    }

    /// <summary>y^(2/3) of each row, for the Anscombe residuals.</summary>
    public double[] ResponseTwoThirds { get; }

    public int Rows { get; set; }
    public bool HasTime { get; set; }
    /// <summary>Number of dummy columns (levels of the season factor minus one).</summary>
    public int Dummies { get; set; }
    public double[] Response { get; }
    public double[] Time { get; }
    /// <summary>Which dummy the row has (0-based, among the dummies), or −1 for the reference level.</summary>
    public int[] Dummy { get; }
    public double[] PriorWeights { get; }

    public int Columns => 1 + (HasTime ? 1 : 0) + Dummies;
    public int FirstDummyColumn => HasTime ? 2 : 1;

    /// <summary>x'·M·x for a row's sparse x (time, dummy as in <see cref="Dummy"/>), M symmetric (columns × columns, row-major).</summary>
    public double QuadraticForm(ReadOnlySpan<double> m, int columns, double time, int dummy)
    {
        Span<int> index = stackalloc int[3];
        Span<double> value = stackalloc double[3];
        var count = 0;
        index[count] = 0; value[count++] = 1;
        if (HasTime) { index[count] = 1; value[count++] = time; }
        if (dummy >= 0) { index[count] = FirstDummyColumn + dummy; value[count++] = 1; }
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        for (var j = 0; j < count; j++)
            sum += value[i] * value[j] * m[index[i] * columns + index[j]];
        return sum;
    }
}
