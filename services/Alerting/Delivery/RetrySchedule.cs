namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// When a failed webhook attempt is tried again: exponential backoff (the first delay doubled after each
/// attempt, capped) with "equal jitter" (half the delay fixed, half random), so that the deliveries a dead
/// receiver made fail together do not all come back at the same instant. Kept as the outbox row's next attempt
/// time, so retries survive a restart of the service.
/// </summary>
internal static class RetrySchedule
{
    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan After(int attempt, TimeSpan first, TimeSpan maximum, double random)
    {
        var exponential = first.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = Math.Min(exponential, maximum.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay / 2 + delay / 2 * random);
    }
}
