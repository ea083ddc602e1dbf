using System.Diagnostics;
using OpenLedger.Testing;

namespace OpenLedger.Testing;

/// <summary>A silo child process whose output is read as it comes, so a full pipe can never stall it.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly System.Text.StringBuilder _output = new();

    /// <summary>Reads <paramref name="process"/>'s output and error streams as they come.</summary>
    public SiloProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The silo's process.</summary>
    public Process Process { get; }

    /// <summary>Starts the built silo executable on loopback ports with extra command-line settings.</summary>
    public static SiloProcess Start(int http, int silo, int gateway, IEnumerable<string> settings)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "silo", "bin", configuration, "net10.0", "openledger-silo.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{http}");
        info.ArgumentList.Add($"--OpenLedger:Silo:ClusterId=tests-{Guid.NewGuid():N}");
        info.ArgumentList.Add($"--OpenLedger:Silo:SiloPort={silo}");
        info.ArgumentList.Add($"--OpenLedger:Silo:GatewayPort={gateway}");
        foreach (var setting in settings)
        {
            info.ArgumentList.Add(setting);
        }
        return new SiloProcess(Process.Start(info)!);
    }

    /// <summary>Waits until /health answers on <paramref name="port"/> (or the client's base address).</summary>
    public async Task WaitHealthyAsync(HttpClient http, int? port = null)
    {
        var url = port is { } p ? $"http://127.0.0.1:{p}/health" : "/health";
        for (var i = 0; i < 300; i++)
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException("the silo exited: " + Output);
            }
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("the silo never became healthy: " + Output);
    }

    /// <summary>Sends SIGTERM (by process id) and returns the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        if (Process.HasExited)
        {
            return Process.ExitCode;
        }
        Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Process.WaitForExitAsync(timeout.Token);
        return Process.ExitCode;
    }

    /// <summary>
    /// Kills the silo at once, as kill -9 would (SIGKILL to its process id): no shutdown, no deactivation, no flush.
    /// Waits until the process is gone.
    /// </summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Everything the silo has written so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Kills the silo's process tree if it still runs.</summary>
    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
