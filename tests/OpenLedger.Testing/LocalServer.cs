using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenLedger.Testing;

/// <summary>
/// One server process on 127.0.0.1, run under the tether script so that it stops when this test process exits even
/// if Dispose never runs. Stopped by its process id, never by name. It can be stopped and started again with the same
/// command line, so on the same ports and, for a server started with a data folder, with the same data.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private static readonly HashSet<int> _handedOut = [];
    private readonly StringWriter _log = new();
    private readonly string _fileName;
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyList<int> _ports;
    private Process _process;

    private LocalServer(string name, string fileName, IReadOnlyList<string> arguments, IReadOnlyList<int> ports)
    {
        Name = name;
        (_fileName, _arguments, _ports) = (fileName, arguments, ports);
        _process = Launch();
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
        var server = new LocalServer(name, fileName, [.. arguments], ports);
        try
        {
            await server.WaitReadyAsync(timeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>
    /// Stops the server by its process id (SIGTERM, so it can flush what it keeps on disk), waits
    /// <paramref name="downtime"/>, and starts it again with the same command line: the same ports and data folder.
    /// Returns once its ports accept connections again.
    /// </summary>
    public async Task RestartAsync(TimeSpan? downtime = null)
    {
        await StopAsync();
        _process.Dispose();
        if (downtime is { } wait)
        {
            await Task.Delay(wait);
        }
        Append($"--- restarted by the test at {DateTimeOffset.UtcNow:O} ---");
        _process = Launch();
        await WaitReadyAsync(null);
    }

    /// <summary>
    /// Starts a server on fresh ports, choosing again when it exits before opening them: another test process can
    /// take a free port between choosing it and the server binding it. <paramref name="arguments"/> builds the
    /// command line from the chosen ports; the server is ready when the first <paramref name="readyPorts"/> accept.
    /// </summary>
    public static async Task<(LocalServer Server, int[] Ports)> StartOnFreePortsAsync(
        string name, string fileName, int portCount, Func<int[], IEnumerable<string>> arguments, int? readyPorts = null)
    {
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var ports = Enumerable.Range(0, portCount).Select(_ => FreePort()).ToArray();
            try
            {
                return (await StartAsync(name, fileName, arguments(ports), ports[..(readyPorts ?? portCount)]), ports);
            }
            catch (ServerExitedException) when (attempt < Attempts)
            {
            }
        }
    }

    /// <summary>
    /// A port nobody listens on now, drawn below the kernel's ephemeral range so that outgoing connections of other
    /// processes cannot take it, and never handed out twice by this process.
    /// </summary>
    public static int FreePort()
    {
        const int Low = 20000, High = 32768;
        while (true)
        {
            var port = Random.Shared.Next(Low, High);
            lock (_handedOut)
            {
                if (!_handedOut.Add(port))
                {
                    continue;
                }
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private Process Launch()
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
        info.ArgumentList.Add(_fileName);
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Name}.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitReadyAsync(TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        foreach (var port in _ports)
        {
            while (!await AcceptsAsync(port))
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    var message = $"{Name} did not open port {port}. Its output:\n{Log}";
                    throw _process.HasExited ? new ServerExitedException(message) : new InvalidOperationException(message);
                }
                await Task.Delay(100);
            }
        }
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM to the tether, which stops its child (TERM, then KILL after 5 s) and exits.
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

/// <summary>The server stopped before it opened its ports, typically because one was taken meanwhile.</summary>
public sealed class ServerExitedException(string message) : InvalidOperationException(message);
