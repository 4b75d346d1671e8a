using Microsoft.Extensions.Diagnostics.HealthChecks;
using EarlyWarning.ServiceDefaults.Messaging;
using Npgsql;

namespace EarlyWarning.ServiceDefaults.Health;

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource, DatabaseAvailability availability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Not ready while consumers are paused, even if this probe happens to get through first.
        if (!availability.IsAvailable)
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL was unreachable; consumers are paused until it answers again");
        try
        {
            await using var cmd = dataSource.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL is unreachable", ex);
        }
    }
}
