namespace EarlyWarning.Detection;

/// <summary>The periods to evaluate, 1-based and inclusive, as R's control$range.</summary>
public readonly record struct EvaluationRange(int From, int To)
{
    public static EvaluationRange All(int length) => new(1, length);

    /// <summary>The part of the range that lies within a series of the given length.</summary>
    internal IEnumerable<int> Within(int length)
    {
        var from = Math.Max(1, From);
        var to = Math.Min(length, To);
        for (var t = from; t <= to; t++) yield return t;
    }
}
