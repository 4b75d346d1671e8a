using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EarlyWarning.Alerting.Delivery;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

/// <summary>
/// Registration and connection checks of webhook destinations, with the real classifier and allow-list and a resolver
/// of the test's own (names resolve as the test says, so no test depends on, or reaches, a real network: every
/// connection attempted is to a listener of the test on 127.0.0.1).
/// </summary>
public sealed class WebhookDestinationsTests
{
    /// <summary>A resolver answering from a table (a list per name: one answer per call, the last one repeated), counting calls.</summary>
    private sealed class FakeResolver(Dictionary<string, string[][]> answers)
    {
        public ConcurrentQueue<string> Asked { get; } = new();

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
        {
            Asked.Enqueue(host);
            if (!answers.TryGetValue(host, out var list)) throw new SocketException((int)SocketError.HostNotFound);
            var call = Asked.Count(h => h == host) - 1;
            return Task.FromResult(list[Math.Min(call, list.Length - 1)].Select(IPAddress.Parse).ToArray());
        }
    }

    private static readonly Dictionary<string, string[][]> Answers = new()
    {
        ["receiver.example"] = [["93.184.215.14"]],
        ["intranet.example"] = [["10.1.2.3"]],
        ["metadata.example"] = [["169.254.169.254"]],
        ["mixed.example"] = [["93.184.215.14", "192.168.0.1"]],
        ["mapped.example"] = [["::ffff:127.0.0.1"]],
        ["v6.example"] = [["2606:4700:4700::1111", "fd00::1"]],
        ["localhost"] = [["127.0.0.1"]],
    };

    private static (WebhookDestinations Destinations, FakeResolver Resolver) Make(string[]? allowed = null, Dictionary<string, string[][]>? answers = null)
    {
        var resolver = new FakeResolver(answers ?? Answers);
        return (new WebhookDestinations(WebhookAllowList.Parse(allowed ?? []), resolver.ResolveAsync), resolver);
    }

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://127.0.0.2:8080/hook")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:7f00:2]/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f.1/")]
    [InlineData("http://0.0.0.0:5432/")]
    [InlineData("http://[::]/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://172.16.5.4/")]
    [InlineData("https://192.168.1.1/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fe80::1%25eth0]/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://[ff02::1]/")]
    public async Task A_webhook_to_an_internal_address_is_refused_at_registration_naming_the_field(string url)
    {
        var (destinations, resolver) = Make();
        var problem = await destinations.RegistrationProblemAsync(url, CancellationToken.None);
        Assert.NotNull(problem);
        Assert.StartsWith("webhookUrl: ", problem);
        Assert.Contains("is not an allowed destination", problem);
        Assert.Empty(resolver.Asked);
    }

    [Theory]
    [InlineData("http://localhost/")]
    [InlineData("http://LOCALHOST:5000/")]
    [InlineData("http://localhost./")]
    [InlineData("http://hooks.localhost/")]
    public async Task Localhost_and_its_subdomains_are_refused_without_asking_the_resolver(string url)
    {
        var (destinations, resolver) = Make();
        Assert.Contains("is not an allowed destination", await destinations.RegistrationProblemAsync(url, CancellationToken.None));
        Assert.Empty(resolver.Asked);
    }

    [Theory]
    [InlineData("http://intranet.example/", "private")]
    [InlineData("http://metadata.example/", "link-local")]
    [InlineData("http://mixed.example/", "private")]
    [InlineData("http://mapped.example/", "loopback")]
    [InlineData("http://v6.example/", "private")]
    public async Task A_name_any_of_whose_addresses_is_internal_is_refused_without_telling_which_address(string url, string kind)
    {
        var (destinations, _) = Make();
        var problem = await destinations.RegistrationProblemAsync(url, CancellationToken.None);
        Assert.Equal($"webhookUrl: '{url}' is not an allowed destination ('{new Uri(url).Host}' resolves to a {kind} address)", problem);
        Assert.DoesNotContain("10.1.2.3", problem);
        Assert.DoesNotContain("192.168", problem);
    }

    [Theory]
    [InlineData("https://receiver.example/hooks/ew")]
    [InlineData("https://93.184.215.14/hooks")]
    [InlineData("http://[2606:4700:4700::1111]:8443/")]
    [InlineData("https://nowhere.example/hooks")]
    public async Task A_public_receiver_or_a_name_that_does_not_resolve_yet_is_registered(string url)
    {
        var (destinations, _) = Make();
        Assert.Null(await destinations.RegistrationProblemAsync(url, CancellationToken.None));
    }

    [Theory]
    [InlineData("ftp://receiver.example/")]
    [InlineData("/hooks")]
    [InlineData("not a url")]
    public async Task A_webhook_that_is_not_an_absolute_http_url_is_refused_as_before(string url)
    {
        var (destinations, _) = Make();
        Assert.Equal($"webhookUrl: '{url}' is not an absolute http or https URL", await destinations.RegistrationProblemAsync(url, CancellationToken.None));
    }

    [Fact]
    public async Task No_webhook_has_no_problem() => Assert.Null(await Make().Destinations.RegistrationProblemAsync(null, CancellationToken.None));

    [Fact]
    public async Task An_allowed_address_may_be_named_as_such_but_not_through_a_name_or_a_neighbour()
    {
        var (destinations, _) = Make(["127.0.0.1"]);
        Assert.Null(await destinations.RegistrationProblemAsync("http://127.0.0.1:5000/hooks", CancellationToken.None));
        Assert.Null(await destinations.RegistrationProblemAsync("http://[::ffff:127.0.0.1]:5000/hooks", CancellationToken.None));
        Assert.NotNull(await destinations.RegistrationProblemAsync("http://127.0.0.2:5000/hooks", CancellationToken.None));
        Assert.NotNull(await destinations.RegistrationProblemAsync("http://[::1]:5000/hooks", CancellationToken.None));
        // localhost resolves to 127.0.0.1 here, but only the address was allowed.
        Assert.NotNull(await destinations.RegistrationProblemAsync("http://localhost:5000/hooks", CancellationToken.None));
    }

    [Fact]
    public async Task An_allowed_name_may_be_used_but_not_the_address_it_resolves_to()
    {
        var (destinations, _) = Make(["localhost", "intranet.example"]);
        Assert.Null(await destinations.RegistrationProblemAsync("http://localhost:5000/hooks", CancellationToken.None));
        Assert.Null(await destinations.RegistrationProblemAsync("http://localhost.:5000/hooks", CancellationToken.None));
        Assert.Null(await destinations.RegistrationProblemAsync("http://intranet.example/hooks", CancellationToken.None));
        Assert.NotNull(await destinations.RegistrationProblemAsync("http://127.0.0.1:5000/hooks", CancellationToken.None));
        Assert.NotNull(await destinations.RegistrationProblemAsync("http://metadata.example/", CancellationToken.None));
    }

    // ---- at connect time: the webhook client's ConnectCallback ----

    /// <summary>A one-connection-at-a-time HTTP server on 127.0.0.1 answering 204 to every request, counting connections.</summary>
    private sealed class LoopbackListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Connections;

        public LoopbackListener()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref Connections);
                var stream = client.GetStream();
                var buffer = new byte[4096];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n"))
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0) break;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                await stream.WriteAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }

    private static HttpClient Client(WebhookDestinations destinations) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectCallback = destinations.ConnectAsync }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task An_allowed_name_is_connected_to_the_address_it_resolves_to()
    {
        using var listener = new LoopbackListener();
        var (destinations, _) = Make(["hooks.test"], new() { ["hooks.test"] = [["127.0.0.1"]] });
        using var client = Client(destinations);
        var response = await client.PostAsync($"http://hooks.test:{listener.Port}/ok", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, listener.Connections);
    }

    [Fact]
    public async Task A_name_that_resolved_to_a_public_address_at_registration_and_to_loopback_when_connecting_is_refused_without_connecting()
    {
        using var listener = new LoopbackListener();
        var (destinations, resolver) = Make(answers: new() { ["rebinding.test"] = [["93.184.215.14"], ["127.0.0.1"]] });
        var url = $"http://rebinding.test:{listener.Port}/ok";
        Assert.Null(await destinations.RegistrationProblemAsync(url, CancellationToken.None));

        using var client = Client(destinations);
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(url, new StringContent("{}")));
        Assert.True(WebhookDestinations.Refused(failure, out var reason), failure.ToString());
        Assert.Equal("'rebinding.test' resolves to a loopback address", reason);
        Assert.Equal(2, resolver.Asked.Count);
        await Task.Delay(200);
        Assert.Equal(0, listener.Connections);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/ok")]
    [InlineData("http://localhost:{0}/ok")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/ok")]
    public async Task A_loopback_destination_not_allowed_is_refused_when_connecting_even_if_registered_before_the_check(string template)
    {
        using var listener = new LoopbackListener();
        var (destinations, _) = Make(["127.0.0.2"]);
        using var client = Client(destinations);
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(string.Format(template, listener.Port), new StringContent("{}")));
        Assert.True(WebhookDestinations.Refused(failure, out _), failure.ToString());
        await Task.Delay(200);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task A_failure_that_is_not_a_refusal_is_not_taken_for_one()
    {
        var (destinations, _) = Make(["127.0.0.1"]);
        using var client = Client(destinations);
        // A port nothing listens on: bound and closed at once.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://127.0.0.1:{port}/ok", new StringContent("{}")));
        Assert.False(WebhookDestinations.Refused(failure, out _));
    }
}
