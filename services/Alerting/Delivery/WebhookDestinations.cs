using System.Net;
using System.Net.Sockets;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>Resolves a host name to its addresses (<see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> in the service).</summary>
internal delegate Task<IPAddress[]> HostResolver(string host, CancellationToken ct);

/// <summary>A webhook destination refused by <see cref="WebhookDestinations"/>; the reason is for the operator's log, never the delivery log.</summary>
internal sealed class WebhookDestinationRefusedException(string reason) : Exception($"destination not allowed: {reason}")
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Where a webhook may go: never to an internal address (<see cref="WebhookAddresses"/>) unless the allow-list names
/// it. Checked when a subscription is registered, for a clear 400, and again on every connection
/// (<see cref="ConnectAsync"/>, the webhook client's ConnectCallback), because a name can resolve elsewhere later:
/// the socket connects only to the addresses just checked, never to a second answer of the resolver.
/// </summary>
internal sealed class WebhookDestinations(WebhookAllowList allowed, HostResolver resolve)
{
    /// <summary>What the delivery log says of a refused destination: nothing about what is, or is not, behind it.</summary>
    public const string NotAllowed = "destination not allowed";

    /// <summary>How long registration waits for the resolver; past it the name is accepted and checked when connecting.</summary>
    private static readonly TimeSpan RegistrationLookup = TimeSpan.FromSeconds(5);

    /// <summary>The problem with a subscription's webhook URL, naming the field, or null when it may be registered.</summary>
    public async Task<string?> RegistrationProblemAsync(string? webhookUrl, CancellationToken ct)
    {
        if (webhookUrl is null) return null;
        if (!Uri.TryCreate(webhookUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return $"webhookUrl: '{webhookUrl}' is not an absolute http or https URL";
        using var lookup = CancellationTokenSource.CreateLinkedTokenSource(ct);
        lookup.CancelAfter(RegistrationLookup);
        try
        {
            await AddressesAsync(url.HostNameType == UriHostNameType.IPv6 ? url.Host : url.IdnHost, lookup.Token);
            return null;
        }
        catch (WebhookDestinationRefusedException e)
        {
            return $"webhookUrl: '{webhookUrl}' is not an allowed destination ({e.Reason})";
        }
        catch (ArgumentException)
        {
            return $"webhookUrl: '{webhookUrl}' does not have a valid host name";
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // A name that does not resolve now may later; the connection is checked then, so nothing is let through.
            return null;
        }
    }

    /// <summary>
    /// The addresses a webhook to <paramref name="host"/> may connect to, all of them checked; refused
    /// (<see cref="WebhookDestinationRefusedException"/>) when the host is, or any address it resolves to is, internal and not allowed.
    /// </summary>
    public async Task<IPAddress[]> AddressesAsync(string host, CancellationToken ct)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(bare, out var literal))
        {
            if (WebhookAddresses.Kind(literal) is { } kind && !allowed.AllowsAddress(literal))
                throw new WebhookDestinationRefusedException($"{WebhookAddresses.Canonical(literal)} is a {kind} address");
            return [literal];
        }
        // Anything else with ':' or '%' is an address the parser did not take (a zone, a typo): never a name to look up.
        if (bare.IndexOfAny([':', '%']) >= 0 || bare.Length == 0) throw new WebhookDestinationRefusedException($"'{host}' is not a host name");
        var name = WebhookAllowList.NormalName(bare);
        if (allowed.AllowsName(name)) return await ResolveAsync(name, ct);
        // RFC 6761: localhost and its subdomains are the host itself, whatever a resolver says (or fails to).
        if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
            throw new WebhookDestinationRefusedException($"'{name}' names the loopback interface");
        var addresses = await ResolveAsync(name, ct);
        // Every answer, not only the first: the socket may try any of them.
        foreach (var address in addresses)
            if (WebhookAddresses.Kind(address) is { } kind)
                throw new WebhookDestinationRefusedException($"'{name}' resolves to a {kind} address");
        return addresses;
    }

    /// <summary>The webhook client's ConnectCallback: checks the destination, then connects to one of the checked addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await AddressesAsync(context.DnsEndPoint.Host, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether a failed request was a destination this class refused (the handler wraps what ConnectCallback throws).</summary>
    public static bool Refused(Exception exception, out string reason)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is WebhookDestinationRefusedException refused)
            {
                reason = refused.Reason;
                return true;
            }
        reason = "";
        return false;
    }

    private async Task<IPAddress[]> ResolveAsync(string name, CancellationToken ct)
    {
        var addresses = await resolve(name, ct);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }
}
