using System.Net.Sockets;
using EarlyWarning.ServiceDefaults;
using Npgsql;
using Polly.Timeout;

namespace EarlyWarning.UnitTests;

public sealed class StartupResilienceTests
{
    private static NpgsqlException Refused() =>
        new("Failed to connect to 127.0.0.1:5442", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public async Task Start_up_waits_through_many_refused_connections_until_the_database_answers()
    {
        var pipeline = ResiliencePipelineProvider.StartupPipeline(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));
        var calls = 0;

        // More failures than the ordinary PostgreSQL retries (6) allow: a service started during an outage.
        await pipeline.ExecuteAsync(_ => ++calls <= 30 ? throw Refused() : ValueTask.CompletedTask);

        Assert.Equal(31, calls);
    }

    [Fact]
    public async Task Start_up_gives_up_once_its_patience_is_spent()
    {
        var pipeline = ResiliencePipelineProvider.StartupPipeline(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10));

        await Assert.ThrowsAsync<TimeoutRejectedException>(async () => await pipeline.ExecuteAsync(_ => throw Refused()));
    }

    [Fact]
    public async Task A_fault_that_is_not_an_outage_fails_start_up_at_once()
    {
        var pipeline = ResiliencePipelineProvider.StartupPipeline(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));
        var calls = 0;

        await Assert.ThrowsAsync<PostgresException>(async () => await pipeline.ExecuteAsync(_ =>
        {
            calls++;
            throw new PostgresException("permission denied for schema", "ERROR", "ERROR", "42501");
        }));

        Assert.Equal(1, calls);
    }
}
