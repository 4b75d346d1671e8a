using System.Collections.Concurrent;
using System.Diagnostics;

namespace EarlyWarning.IntegrationTests;

/// <summary>One of the four services, run as a real process from its build output, with its output kept for assertions.</summary>
internal sealed class ServiceProcess(string name, int port) : IAsyncDisposable
{
    /// <summary>
    /// The management port is this far above the API port: not 100, where the second instances some tests start
    /// (a service with a broken policy, beside the running one) have their API ports.
    /// </summary>
    public const int ManagementPortOffset = 50;

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    /// <summary>The running process's id (0 before it starts).</summary>
    public int ProcessId => _process?.Id ?? 0;

    public string Name { get; } = name;
    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");
    /// <summary>Where its /metrics and health report are served (Management:Port), on loopback, never on the API's port.</summary>
    public Uri ManagementAddress { get; } = new($"http://127.0.0.1:{port + ManagementPortOffset}");
    public IEnumerable<string> Output => _output;
    /// <summary>Settings of this service alone (its credentials, the JWT provider), on top of the tests' environment.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task StartAsync()
    {
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "services", Name, "bin", TestEnvironment.Configuration, "net10.0", $"EarlyWarning.{Name}.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the solution first: {dll} is missing", dll);
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        info.Environment["Management__Port"] = ManagementAddress.Port.ToString();
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        // Short poll so that a restarted service picks up rows left by a killed one quickly.
        info.Environment["Outbox__PollInterval"] = "00:00:00.200";
        // Prune every second, so that a test sees pruning happen (the window keeps its default).
        info.Environment["Inbox__PruneInterval"] = "00:00:01";
        // deploy/local gives each service its own database role and broker user as EW_<SERVICE>__Section__Key; as
        // deploy/local/services.sh does, a service gets only its own: no other EW_ variable (other services' secrets),
        // and the pseudonym secrets only for Anonymization.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("EW_", StringComparison.Ordinal)).ToList())
            if (!(Name == "Anonymization" && key.StartsWith("EW_PSEUDONYM_SECRET_", StringComparison.Ordinal))) info.Environment.Remove(key);
        var prefix = $"EW_{Name.ToUpperInvariant()}__";
        foreach (var (key, value) in System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                     .Select(e => ((string)e.Key, (string?)e.Value)).Where(e => e.Item1.StartsWith(prefix, StringComparison.Ordinal)))
            info.Environment[key[prefix.Length..]] = value;
        foreach (var (key, value) in Environment) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync();
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no graceful shutdown, nothing flushed.</summary>
    public void Kill()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>The process's peak resident memory so far (VmHWM of /proc/&lt;pid&gt;/status), in bytes.</summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process!.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    public async Task WaitForOutputAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Any(predicate))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} did not log the expected line within {timeout}");
            await Task.Delay(100);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{string.Join('\n', _output.TakeLast(30))}");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not ready within 60 s:\n{string.Join('\n', _output.TakeLast(30))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        // Stop gracefully (SIGTERM) as an operator would; kill if it hangs.
        Process.Start("kill", ["-TERM", _process.Id.ToString()])?.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        _process.Dispose();
        _process = null;
    }
}
