using Npgsql;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>Tells an outage of a dependency (the message is fine, the world is not) from a fault of the message itself.</summary>
public static class Outage
{
    /// <summary>
    /// PostgreSQL is unreachable, restarting or refusing connections. Deadlocks and serialization failures are
    /// transient too but say nothing about availability: the ordinary retries handle them.
    /// </summary>
    public static bool IsDatabaseOutage(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostgresException postgres)
                return postgres.IsTransient && !postgres.SqlState.StartsWith("40", StringComparison.Ordinal);
            if (ex is NpgsqlException { IsTransient: true }) return true;
        }
        return false;
    }
}
