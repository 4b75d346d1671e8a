using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>What every channel sends of a revision: its CAP document and its webhook body, with absolute links.</summary>
internal sealed class DeliveryDocuments(DeliveryPolicy policy, IOptions<DeliveryOptions> options, IServer server)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DeliveryPolicy Policy => policy;

    /// <summary>The public base address: configured, else the request's, else the first address the server listens on.</summary>
    public string BaseUrl(HttpRequest? request = null)
    {
        if (options.Value.PublicBaseUrl is { Length: > 0 } configured) return configured.TrimEnd('/');
        if (request is not null) return $"{request.Scheme}://{request.Host}{request.PathBase}";
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        return address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost").TrimEnd('/');
    }

    public XDocument Cap(AlertRevision r, IReadOnlyList<(int, DateTimeOffset)> earlier, string baseUrl, IReadOnlyList<string>? languages = null) =>
        CapDocument.Build(r, earlier, policy, options.Value.Sender, baseUrl + r.CapPath, languages ?? DeliveryPolicy.Languages);

    /// <summary>The JSON a webhook receives for one revision (signed as sent; the delivery id is also its idempotency header).</summary>
    public string WebhookBody(Guid deliveryId, Guid subscriptionId, AlertRevision r, string baseUrl) =>
        JsonSerializer.Serialize(new
        {
            type = "alert.revision",
            deliveryId,
            subscriptionId,
            identifier = r.Identifier,
            alertId = r.AlertId,
            r.Revision,
            referencesRevision = r.ReferencesRevision,
            r.MsgType,
            r.State,
            r.ReportingCountry,
            r.BorderPoint,
            place = policy.Place(r.BorderPoint)?.Name,
            r.Nationality,
            r.Category,
            r.Severity,
            r.Certainty,
            r.Observed,
            r.Expected,
            r.UpperBound,
            r.FirstWeek,
            r.LastSurgeWeek,
            r.ClosedWeek,
            r.PeakWeek,
            r.WeeksAbove,
            detector = r.Algorithm,
            r.Reason,
            sent = r.SentAt,
            cap = baseUrl + r.CapPath,
            headline = policy.Category(r.Category, "en") + " of " + policy.Country(r.Nationality, "en") + " nationals at "
                       + (policy.Place(r.BorderPoint)?.Name ?? r.BorderPoint) + " (" + policy.Country(r.ReportingCountry, "en") + ")",
        }, Json);
}
