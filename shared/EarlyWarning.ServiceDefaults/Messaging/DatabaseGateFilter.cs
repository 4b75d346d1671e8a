using MassTransit;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// Lets a message reach its consumer only while PostgreSQL is available, and closes the gate when the
/// consumer meets an outage. The outage retry around it (<see cref="QueueTopology"/>) then waits here.
/// </summary>
internal sealed class DatabaseGateFilter(DatabaseAvailability database) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await database.WaitUntilAvailableAsync(context.CancellationToken);
        try
        {
            await next.Send(context);
        }
        catch (Exception ex) when (Outage.IsDatabaseOutage(ex))
        {
            database.ReportOutage(ex);
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("databaseGate");
}
