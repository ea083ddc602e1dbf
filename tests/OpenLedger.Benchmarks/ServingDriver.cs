using System.Diagnostics;
using OpenLedger.Model.Serving;

namespace OpenLedger.Benchmarks;

/// <summary>What one serving run produced and when: throughput, first-token times and gaps between tokens.</summary>
public sealed record ServingRun(double Seconds, int Tokens, IReadOnlyList<double> FirstTokenSeconds, IReadOnlyList<double> GapSeconds,
    IReadOnlyDictionary<ContinuousBatch.Sequence, double> FirstTokenOf)
{
    /// <summary>Generated tokens per second.</summary>
    public double TokensPerSecond => Tokens / Seconds;
}

/// <summary>Steps a continuous batch to the end, noting when each request's tokens appear.</summary>
public static class ServingDriver
{
    /// <summary>
    /// Runs <paramref name="batch"/> until it is idle; <paramref name="beforeStep"/> may submit more requests (it gets
    /// the step number and returns the new ones).
    /// </summary>
    public static ServingRun Drive(ContinuousBatch batch, IEnumerable<ContinuousBatch.Sequence> submitted,
        Func<int, IEnumerable<ContinuousBatch.Sequence>>? beforeStep = null)
    {
        var sequences = submitted.ToList();
        var seen = new List<int>(sequences.Select(_ => 0));
        var last = new List<long>(sequences.Select(_ => 0L));
        var firsts = new List<double>();
        var firstOf = new Dictionary<ContinuousBatch.Sequence, double>(ReferenceEqualityComparer.Instance);
        var gaps = new List<double>();
        var start = Stopwatch.GetTimestamp();
        var step = 0;
        bool more;
        do
        {
            if (beforeStep is not null)
            {
                foreach (var added in beforeStep(step))
                {
                    sequences.Add(added);
                    seen.Add(0);
                    last.Add(0);
                }
            }
            more = batch.Step();
            step++;
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < sequences.Count; i++)
            {
                var count = sequences[i].Tokens.Count + (sequences[i].FinishReason == "stop" ? 1 : 0);
                if (count == seen[i])
                {
                    continue;
                }
                if (seen[i] == 0)
                {
                    firsts.Add(Stopwatch.GetElapsedTime(sequences[i].SubmittedAt, now).TotalSeconds);
                    firstOf[sequences[i]] = firsts[^1];
                }
                else
                {
                    gaps.Add(Stopwatch.GetElapsedTime(last[i], now).TotalSeconds);
                }
                seen[i] = count;
                last[i] = now;
            }
        }
        while (more);
        return new ServingRun(Stopwatch.GetElapsedTime(start).TotalSeconds, sequences.Sum(s => s.Tokens.Count), firsts, gaps, firstOf);
    }
}
