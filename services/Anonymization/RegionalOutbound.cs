using EarlyWarning.ServiceDefaults.Messaging;

namespace EarlyWarning.Anonymization;

/// <summary>
/// Anonymization runs on the national virtual host. What it publishes for the region (ObservationsAnonymized, and
/// nothing else) is also routed to a durable queue, which the broker's shovel moves to the regional virtual host.
/// </summary>
internal static class RegionalOutbound
{
    public const string Queue = BrokerRoutes.RegionalOutbound;
    /// <summary>The contract's exchange, named as MassTransit names it (namespace:type).</summary>
    public const string Exchange = "EarlyWarning.Contracts:ObservationsAnonymized";

    public static Task DeclareRegionalOutboundAsync(this WebApplication app) => app.DeclareRouteAsync(Queue, Exchange);
}
