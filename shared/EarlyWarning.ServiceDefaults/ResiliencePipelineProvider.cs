using Npgsql;
using Polly;
using Polly.Retry;

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
}
