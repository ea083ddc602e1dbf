using System.Diagnostics;

namespace OpenLedger.Testing.Fuzzing;

/// <summary>
/// A seeded mutation campaign against one parser: the seed inputs first, then mutants, each made from its own generator
/// (campaign seed and iteration) so that any one input reproduces alone. Each input runs under a time limit; the answer
/// is classified as accepted, refused with one of the parser's documented error types and a message that says
/// something, or a defect: any other exception, a hang past the limit, or a refusal with an empty message.
/// </summary>
/// <param name="parser">The parser's name in the report.</param>
/// <param name="seed">The campaign seed.</param>
/// <param name="mutants">How many mutants to run after the seeds.</param>
/// <param name="perInput">How long one input may take before it counts as a hang.</param>
/// <param name="mutator">Makes mutants.</param>
/// <param name="seeds">Valid inputs to start from.</param>
/// <param name="refusals">The exception types the parser documents for bad input (subclasses count).</param>
public sealed class FuzzCampaign(string parser, int seed, int mutants, TimeSpan perInput, IMutator mutator, IReadOnlyList<byte[]> seeds, params Type[] refusals)
{
    // Shorter messages cannot name what was wrong and what to do.
    private const int ShortestMessage = 12;

    /// <summary>Input <paramref name="iteration"/> of the campaign: a seed, or a mutant made from its own generator.</summary>
    public byte[] Input(int iteration)
    {
        if (iteration < seeds.Count)
        {
            return seeds[iteration];
        }
        var random = new Random(unchecked((seed * 1_000_003) + iteration));
        return mutator.Mutate(seeds[random.Next(seeds.Count)], seeds, random);
    }

    /// <summary>Runs a synchronous parser over every input; stops at the first hang, whose thread cannot be taken back.</summary>
    public FuzzTally Run(Func<byte[], FuzzVerdict> target) =>
        RunAsync((input, _) => Task.Run(() => target(input))).GetAwaiter().GetResult();

    /// <summary>Runs an asynchronous parser (an HTTP endpoint) over every input; the token is cancelled at the time limit.</summary>
    public async Task<FuzzTally> RunAsync(Func<byte[], CancellationToken, Task<FuzzVerdict>> target)
    {
        var tally = new FuzzTally(parser, seed, mutants);
        for (var iteration = 0; iteration < seeds.Count + mutants; iteration++)
        {
            var input = Input(iteration);
            using var limit = new CancellationTokenSource(perInput);
            var started = Stopwatch.GetTimestamp();
            var run = target(input, limit.Token);
            if (await Task.WhenAny(run, Task.Delay(perInput + perInput)) != run)
            {
                tally.Defect(iteration, input, $"no answer within {(perInput + perInput).TotalSeconds:0.#} s (a hang)");
                break;
            }
            var took = Stopwatch.GetElapsedTime(started);
            try
            {
                var verdict = await run;
                if (!verdict.Accepted && (verdict.Message?.Trim().Length ?? 0) < ShortestMessage)
                {
                    tally.Defect(iteration, input, $"refused as {verdict.Kind} with an unhelpful message '{verdict.Message}'");
                }
                else
                {
                    tally.Count(verdict, took);
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                tally.Defect(iteration, input, $"no answer within {perInput.TotalSeconds:0.#} s (a hang)");
            }
            catch (Exception e) when (refusals.Any(type => type.IsInstanceOfType(e)))
            {
                if (e.Message.Trim().Length < ShortestMessage)
                {
                    tally.Defect(iteration, input, $"{e.GetType().Name} with an unhelpful message '{e.Message}'");
                }
                else
                {
                    tally.Count(FuzzVerdict.Refuse(e.GetType().Name, e.Message), took);
                }
            }
            catch (Exception e)
            {
                tally.Defect(iteration, input, $"{e.GetType().FullName}: {e.Message}\n  at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }
        }
        return tally;
    }
}
