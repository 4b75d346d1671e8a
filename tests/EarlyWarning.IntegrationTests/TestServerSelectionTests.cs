using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>How the integration tests pick their servers: pure rules, and the Docker probe against real sockets (no fixture).</summary>
public sealed class TestServerSelectionTests
{
    private static readonly DockerEngine Docker = new(true, "unix:///var/run/docker.sock", null);
    private static readonly DockerEngine NoDocker = new(false, "unix:///var/run/docker.sock", "no socket there");

    [Fact]
    public void A_reachable_docker_engine_runs_the_tests_in_containers() =>
        Assert.Equal(TestServers.Containers, TestServerSelection.Choose(null, Docker, localServersConfigured: true).Servers);

    [Fact]
    public void Without_docker_the_tests_use_the_local_servers_and_say_why()
    {
        var choice = TestServerSelection.Choose(null, NoDocker, localServersConfigured: true);

        Assert.Equal(TestServers.Local, choice.Servers);
        Assert.Contains("no socket there", choice.Reason);
    }

    [Fact]
    public void Asking_for_the_local_servers_wins_over_docker() =>
        Assert.Equal(TestServers.Local, TestServerSelection.Choose("local", Docker, localServersConfigured: true).Servers);

    [Fact]
    public void Without_docker_or_local_servers_the_tests_say_how_to_run_them()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestServerSelection.Choose(null, NoDocker, localServersConfigured: false));
        Assert.Contains("./deploy/local/test.sh", error.Message);
    }

    [Fact]
    public void Asking_for_containers_without_docker_is_refused_with_the_probe_result()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TestServerSelection.Choose("containers", NoDocker, localServersConfigured: true));
        Assert.Contains("no socket there", error.Message);
    }

    [Fact]
    public void An_unknown_choice_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => TestServerSelection.Choose("kubernetes", Docker, localServersConfigured: true));

    [Theory]
    [InlineData("unix:///var/run/docker.sock", true)]
    [InlineData("tcp://127.0.0.1:2375", true)]
    [InlineData("npipe:////./pipe/docker_engine", false)]
    [InlineData("127.0.0.1:2375", false)]
    public void Docker_host_is_read_as_docker_reads_it(string endpoint, bool understood) =>
        Assert.Equal(understood, DockerEngine.ParseEndpoint(endpoint) is not null);

    [Fact]
    public async Task A_missing_socket_is_no_docker_engine()
    {
        var probe = await DockerEngine.ProbeAsync($"unix:///tmp/earlywarning-no-docker-{Guid.NewGuid():N}.sock", TimeSpan.FromSeconds(2));

        Assert.False(probe.Reachable);
    }

    [Fact]
    public async Task An_engine_that_answers_its_ping_is_reachable_and_one_that_does_not_is_not()
    {
        Assert.True((await ProbeServerAnsweringAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")).Reachable);
        Assert.False((await ProbeServerAnsweringAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")).Reachable);
    }

    /// <summary>Probes a loopback server that answers every request with <paramref name="response"/>.</summary>
    private static async Task<DockerEngine> ProbeServerAnsweringAsync(string response)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[1024];
            var read = 0;
            while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                read += await stream.ReadAsync(request.AsMemory(read));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        });
        var probe = await DockerEngine.ProbeAsync($"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", TimeSpan.FromSeconds(5));
        await serve;
        return probe;
    }
}
