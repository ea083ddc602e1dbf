using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenLedger.Testing;

/// <summary>
/// One server process on 127.0.0.1, run under the tether script so that it stops when this test process exits even
/// if Dispose never runs. Stopped by its process id, never by name.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringWriter _log = new();

    private LocalServer(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What runs, for messages.</summary>
    public string Name { get; }

    /// <summary>The tether's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the server printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> and waits until every port in <paramref name="ports"/> accepts connections.</summary>
    public static async Task<LocalServer> StartAsync(string name, string fileName, IEnumerable<string> arguments, IReadOnlyList<int> ports, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(RepoPaths.Tether)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("3600");
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var server = new LocalServer(name, Process.Start(info) ?? throw new InvalidOperationException($"Could not start {name}."));
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        foreach (var port in ports)
        {
            while (!await AcceptsAsync(port))
            {
                if (server._process.HasExited || DateTime.UtcNow > deadline)
                {
                    var log = server.Log;
                    await server.DisposeAsync();
                    throw new InvalidOperationException($"{name} did not open port {port}. Its output:\n{log}");
                }
                await Task.Delay(100);
            }
        }
        return server;
    }

    /// <summary>A port nobody listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM to the tether, which stops its child and exits.
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }
}
