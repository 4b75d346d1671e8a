namespace EarlyWarning.Detection.Farrington;

/// <summary>Cholesky factorization of small symmetric positive definite matrices (row-major, n × n).</summary>
internal static class Cholesky
{
    /// <summary>
    /// Factors a = L·Lᵀ into <paramref name="l"/>. False when a is not numerically positive definite
    /// (a pivot below 1e-11 of its diagonal, in the spirit of R's QR rank tolerance).
    /// </summary>
    public static bool Factor(ReadOnlySpan<double> a, Span<double> l, int n)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i * n + j];
                for (var k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j)
                {
                    if (sum <= 1e-11 * Math.Abs(a[i * n + i]) || sum <= 0) return false;
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else l[i * n + j] = sum / l[j * n + j];
            }
        }
        return true;
    }

    /// <summary>Solves L·Lᵀ·x = b in place.</summary>
    public static void Solve(ReadOnlySpan<double> l, Span<double> x, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var sum = x[i];
            for (var k = 0; k < i; k++) sum -= l[i * n + k] * x[k];
            x[i] = sum / l[i * n + i];
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
            x[i] = sum / l[i * n + i];
        }
    }

    /// <summary>(L·Lᵀ)⁻¹, column by column.</summary>
    public static void Invert(ReadOnlySpan<double> l, Span<double> inverse, int n)
    {
        Span<double> column = n <= 32 ? stackalloc double[n] : new double[n];
        for (var c = 0; c < n; c++)
        {
            column.Clear();
            column[c] = 1;
            Solve(l, column, n);
            for (var i = 0; i < n; i++) inverse[i * n + c] = column[i];
        }
    }
}
