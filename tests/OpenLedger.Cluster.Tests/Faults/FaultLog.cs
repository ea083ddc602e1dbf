using Xunit.Abstractions;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// Progress of a fault test, with seconds since it began: to the test's output, and also appended to the file named by
/// <c>OPENLEDGER_FAULTS_LOG</c> when that is set, so a run can be followed while it goes (test output shows only at the end).
/// </summary>
public sealed class FaultLog(ITestOutputHelper? output)
{
    private static readonly string? _file = Environment.GetEnvironmentVariable("OPENLEDGER_FAULTS_LOG");
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();

    /// <summary>Seconds since the test began.</summary>
    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Writes one line.</summary>
    public void Write(string line)
    {
        var text = $"[{Seconds,7:0.0} s] {line}";
        lock (_lock)
        {
            try
            {
                output?.WriteLine(text);
            }
            catch (InvalidOperationException)
            {
                // The test has ended: only the file gets it.
            }
            if (_file is not null)
            {
                File.AppendAllText(_file, text + Environment.NewLine);
            }
        }
    }
}
