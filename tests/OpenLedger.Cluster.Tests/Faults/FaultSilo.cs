using System.Net.Http.Headers;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// One silo of the fault grid: its fixed HTTP, silo and gateway ports, and the process now running on them (a new one
/// after each restart).
/// </summary>
/// <param name="index">Its place in the grid, for messages.</param>
/// <param name="httpPort">The HTTP API's port.</param>
/// <param name="siloPort">The silo-to-silo port.</param>
/// <param name="gatewayPort">The client gateway's port.</param>
public sealed class FaultSilo(int index, int httpPort, int siloPort, int gatewayPort)
{
    private SiloProcess? _process;

    /// <summary>Its place in the grid.</summary>
    public int Index { get; } = index;

    /// <summary>The silo-to-silo port, which Orleans' silo address carries.</summary>
    public int SiloPort { get; } = siloPort;

    /// <summary>The HTTP API.</summary>
    public Uri Url { get; } = new($"http://127.0.0.1:{httpPort}/");

    /// <summary>True while a process of it runs.</summary>
    public bool Running => _process is { Process.HasExited: false };

    /// <summary>How many times it was started.</summary>
    public int Starts { get; private set; }

    /// <summary>What its processes printed (the current one's), for failure messages.</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>An HTTP client for its API with <paramref name="key"/> as the bearer key.</summary>
    public HttpClient Http(string? key, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = Url, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return http;
    }

    /// <summary>Starts a new process on its ports and waits until <c>/health</c> answers.</summary>
    public async Task StartAsync(IReadOnlyList<string> settings)
    {
        if (Running)
        {
            throw new InvalidOperationException($"Silo {Index} is already running.");
        }
        _process?.Dispose();
        _process = SiloProcess.Start(Url.Port, SiloPort, gatewayPort, settings);
        Starts++;
        using var probe = new HttpClient { BaseAddress = Url };
        await _process.WaitHealthyAsync(probe);
    }

    /// <summary>SIGKILL to its process id: it stops mid-step, with nothing flushed or handed over.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    /// <summary>Stops it cleanly (SIGTERM), at the end of a test.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }
        if (Running)
        {
            try
            {
                await _process.TerminateAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }
        _process.Dispose();
        _process = null;
    }
}
