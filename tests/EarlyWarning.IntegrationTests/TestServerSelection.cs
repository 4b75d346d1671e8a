using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>Where the broker and database of the integration tests come from.</summary>
internal enum TestServers
{
    /// <summary>RabbitMQ and PostgreSQL from Debian's packages, started by deploy/local/test.sh (what CI runs).</summary>
    Local,

    /// <summary>RabbitMQ and PostgreSQL in containers started by Testcontainers on a reachable Docker engine.</summary>
    Containers,
}

internal sealed record TestServerChoice(TestServers Servers, string Reason);

/// <summary>Whether a Docker engine answered its ping, where it was looked for, and why not.</summary>
internal sealed record DockerEngine(bool Reachable, string Endpoint, string? Problem)
{
    /// <summary>Docker's default socket, used when DOCKER_HOST is not set (as Docker's own client does).</summary>
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>Asks the engine at DOCKER_HOST (unix:// or tcp://) or the default socket for GET /_ping.</summary>
    public static async Task<DockerEngine> ProbeAsync(string? dockerHost, TimeSpan timeout)
    {
        var endpoint = string.IsNullOrWhiteSpace(dockerHost) ? DefaultEndpoint : dockerHost.Trim();
        if (ParseEndpoint(endpoint) is not { } target)
            return new(false, endpoint, "DOCKER_HOST is neither unix:///path nor tcp://host:port");
        if (target is UnixDomainSocketEndPoint && !File.Exists(endpoint["unix://".Length..]))
            return new(false, endpoint, "no socket there");
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            using var socket = target is UnixDomainSocketEndPoint
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(target, cancel.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"), SocketFlags.None, cancel.Token);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
            var status = Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
            return status.StartsWith("HTTP/1.", StringComparison.Ordinal) && status.Contains(" 200", StringComparison.Ordinal)
                ? new(true, endpoint, null)
                : new(false, endpoint, $"answered '{status}' to /_ping");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return new(false, endpoint, ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : ex.Message);
        }
    }

    /// <summary>unix:///path or tcp://host:port as a socket address; null for anything else.</summary>
    public static EndPoint? ParseEndpoint(string endpoint)
    {
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal) && endpoint.Length > "unix://".Length)
            return new UnixDomainSocketEndPoint(endpoint["unix://".Length..]);
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == "tcp" && uri.Port > 0)
            return new DnsEndPoint(uri.Host, uri.Port);
        return null;
    }
}

/// <summary>
/// Picks the tests' servers: EW_TEST_SERVERS (local or containers) when set; otherwise containers when a Docker
/// engine answers, and the local servers of deploy/local/test.sh when none does (this machine and CI).
/// </summary>
internal static class TestServerSelection
{
    public const string Variable = "EW_TEST_SERVERS";

    public static TestServerChoice Choose(string? requested, DockerEngine docker, bool localServersConfigured)
    {
        switch (requested?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "local":
                return localServersConfigured
                    ? new(TestServers.Local, $"{Variable}=local")
                    : throw new InvalidOperationException($"{Variable}=local, but the local servers are not configured: run the tests with ./deploy/local/test.sh");
            case "containers":
                return docker.Reachable
                    ? new(TestServers.Containers, $"{Variable}=containers; Docker engine at {docker.Endpoint}")
                    : throw new InvalidOperationException($"{Variable}=containers, but no Docker engine answers at {docker.Endpoint}: {docker.Problem}");
            default:
                throw new InvalidOperationException($"{Variable} must be 'local' or 'containers', not '{requested}'");
        }
        if (docker.Reachable) return new(TestServers.Containers, $"a Docker engine answers at {docker.Endpoint}");
        if (localServersConfigured) return new(TestServers.Local, $"no Docker engine at {docker.Endpoint} ({docker.Problem}); using the servers ./deploy/local/test.sh started");
        throw new InvalidOperationException(
            $"No Docker engine at {docker.Endpoint} ({docker.Problem}) and no local servers: run the tests with ./deploy/local/test.sh, or start Docker.");
    }
}
