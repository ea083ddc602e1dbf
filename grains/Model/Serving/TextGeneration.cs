using OpenLedger.Model.Tokenization;

namespace OpenLedger.Model.Serving;

/// <summary>
/// Generates one continuation with the model as it is (any attached adapter applies): a continuous batch of one, so
/// single requests and batched serving share the same prompt, decode and stop logic. Yields text pieces as they are
/// decided, so callers can stream them.
/// </summary>
public static class TextGeneration
{
    /// <summary>The continuation of <paramref name="prompt"/>, piece by piece; stops as the parameters say.</summary>
    public static IEnumerable<string> Generate(LlamaModel model, TextTokenizer tokenizer, string prompt, SamplingParameters parameters)
    {
        using var pool = new ResidentPool(1);
        using var batch = new ContinuousBatch(model, tokenizer, pool, _ => null, maxBatch: 1);
        var sequence = batch.Submit(prompt, adapterId: null, parameters);
        var emitted = 0;
        bool more;
        do
        {
            more = batch.Step();
            var ready = StreamedText.ReadyLength(sequence.Text, parameters.Stop, sequence.Finished);
            if (ready > emitted)
            {
                yield return sequence.Text[emitted..ready];
                emitted = ready;
            }
        }
        while (more);
    }
}
