using EarlyWarning.ServiceDefaults.Messaging;
using Npgsql;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EarlyWarning.ServiceDefaults;

/// <summary>Polly pipelines for the I/O boundaries that are not the bus (the bus has MassTransit's own retry).</summary>
public sealed class ResiliencePipelineProvider
{
    /// <summary>Retries transient PostgreSQL failures (restart, failover, dropped connection) with jittered backoff.</summary>
    public ResiliencePipeline Postgres { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<NpgsqlException>(ex => ex.IsTransient)
                .Handle<TimeoutException>(),
            MaxRetryAttempts = 6,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .Build();

    /// <summary>
    /// Start-up work (migrations). A service restarted while PostgreSQL is away (a crash during an outage) waits
    /// for it as its consumers do, instead of giving up after a few seconds and being restarted again and again.
    /// </summary>
    public ResiliencePipeline Startup { get; } = StartupPipeline(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));

    /// <summary>Retries while the database is away, up to <paramref name="patience"/> in all; any other failure at once.</summary>
    public static ResiliencePipeline StartupPipeline(TimeSpan patience, TimeSpan firstDelay, TimeSpan maxDelay) =>
        new ResiliencePipelineBuilder()
            .AddTimeout(new TimeoutStrategyOptions { Timeout = patience })
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(Outage.IsDatabaseOutage),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = firstDelay,
                MaxDelay = maxDelay,
            })
            .Build();
}
