namespace EarlyWarning.Detection.Farrington;

/// <summary>
/// Working memory of a fit, reused from one fit to the next: evaluating a period takes two to four fits, and
/// allocating their arrays each time made the garbage collector a large part of the cost. A fit's results
/// live here, so a fit is only valid until the next one starts with the same buffers.
/// </summary>
internal sealed class GlmBuffers(int rows, int columns)
{
    public readonly double[] Beta = new double[columns];
    public readonly double[] Mu = new double[rows];
    public readonly double[] Eta = new double[rows];
    public readonly double[] WorkingWeights = new double[rows];
    public readonly double[] LogResponse = new double[rows];
    public readonly double[] Covariance = new double[columns * columns];
    public readonly double[] Xtwx = new double[columns * columns];
    public readonly double[] Xtwz = new double[columns];
    public readonly double[] Factor = new double[columns * columns];
    public readonly double[] Previous = new double[columns];
}
