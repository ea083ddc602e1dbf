using OpenLedger.Model.Tokenization;
using static TorchSharp.torch;

namespace OpenLedger.Model.Serving;

/// <summary>
/// Generates a continuation one token at a time with a KV cache: the prompt is run once, then each step feeds only
/// the newest token. Yields text pieces as they are decided, so callers can stream them.
/// </summary>
public static class TextGeneration
{
    /// <summary>The continuation of <paramref name="prompt"/>, piece by piece; stops as the parameters say.</summary>
    public static IEnumerable<string> Generate(LlamaModel model, TextTokenizer tokenizer, string prompt, SamplingParameters parameters)
    {
        var promptTokens = tokenizer.Encode(prompt);
        parameters.Validate(model.Config.MaxPositionEmbeddings, promptTokens.Count);
        model.eval();
        var device = model.BaseParameters()[0].Parameter.device;
        using var cache = new KvCache(model.Config.NumHiddenLayers);
        using var sampler = new TokenSampler(parameters);
        var stops = parameters.Stop ?? [];
        var produced = new List<int>();
        var emitted = 0;
        var input = promptTokens.Select(t => (long)t).ToArray();
        for (var step = 0; step < parameters.MaxTokens; step++)
        {
            int next;
            using (no_grad())
            using (var scope = NewDisposeScope())
            {
                var logits = model.Forward(tensor(input, new long[] { 1, input.Length }, device: device), cache);
                next = sampler.Next(logits[0, -1]);
            }
            if (next == tokenizer.EndOfText)
            {
                break;
            }
            produced.Add(next);
            var text = tokenizer.Decode(produced);
            var stopAt = stops.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            if (stopAt >= 0)
            {
                if (stopAt > emitted)
                {
                    yield return text[emitted..stopAt];
                }
                yield break;
            }
            // Hold back a tail that could still become a stop sequence, and any half-decoded character.
            var holdBack = stops.Count == 0 ? 0 : stops.Max(s => s.Length) - 1;
            var safe = Math.Max(emitted, text.Length - holdBack);
            if (safe > emitted && !text.EndsWith('\uFFFD'))
            {
                yield return text[emitted..safe];
                emitted = safe;
            }
            input = [next];
        }
        var rest = tokenizer.Decode(produced);
        if (rest.Length > emitted)
        {
            yield return rest[emitted..];
        }
    }
}
