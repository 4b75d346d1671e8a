namespace EarlyWarning.Detection.Farrington;

internal static class Cholesky
{
    /// <summary>Inverts a symmetric positive definite matrix (row-major, n × n). False when it is not (numerically) positive definite.</summary>
    public static bool Invert(ReadOnlySpan<double> a, Span<double> inverse, int n)
    {
        Span<double> l = n <= 16 ? stackalloc double[n * n] : new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i * n + j];
                for (var k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j)
                {
                    // Relative pivot tolerance in the spirit of R's QR rank tolerance (1e-11).
                    if (sum <= 1e-11 * Math.Abs(a[i * n + i]) || sum <= 0) return false;
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else l[i * n + j] = sum / l[j * n + j];
            }
        }
        // inverse = L⁻ᵀ L⁻¹, column by column.
        Span<double> column = n <= 16 ? stackalloc double[n] : new double[n];
        for (var c = 0; c < n; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var sum = i == c ? 1.0 : 0.0;
                for (var k = 0; k < i; k++) sum -= l[i * n + k] * column[k];
                column[i] = sum / l[i * n + i];
            }
            for (var i = n - 1; i >= 0; i--)
            {
                var sum = column[i];
                for (var k = i + 1; k < n; k++) sum -= l[k * n + i] * column[k];
                column[i] = sum / l[i * n + i];
            }
            for (var i = 0; i < n; i++) inverse[i * n + c] = column[i];
        }
        return true;
    }
}
