using static TorchSharp.torch;

namespace OpenLedger.Model.Training;

/// <summary>
/// A padded batch for next-token prediction: inputs are tokens[..^1], targets tokens[1..], padding targets are
/// <see cref="IgnoreIndex"/> so they add nothing to the loss. Padding goes on the right, which a causal mask never sees.
/// </summary>
public sealed class TokenBatch : IDisposable
{
    /// <summary>The target value cross-entropy skips.</summary>
    public const long IgnoreIndex = -100;

    private TokenBatch(Tensor inputs, Tensor targets, long tokens)
    {
        Inputs = inputs;
        Targets = targets;
        PredictedTokens = tokens;
    }

    /// <summary>Input ids [B, T].</summary>
    public Tensor Inputs { get; }

    /// <summary>Target ids [B, T], <see cref="IgnoreIndex"/> at padding.</summary>
    public Tensor Targets { get; }

    /// <summary>Positions that count towards the loss.</summary>
    public long PredictedTokens { get; }

    /// <summary>Builds a batch of <paramref name="sequences"/>, each cut to <paramref name="maxLength"/> tokens.</summary>
    public static TokenBatch Create(IEnumerable<IReadOnlyList<int>> sequences, int maxLength, Device device)
    {
        var rows = sequences.Select(s => s.Take(maxLength).ToArray()).Where(s => s.Length >= 2).ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one example of two or more tokens.");
        }
        var width = rows.Max(r => r.Length) - 1;
        var inputs = new long[rows.Count * width];
        var targets = new long[rows.Count * width];
        Array.Fill(targets, IgnoreIndex);
        long predicted = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            for (var t = 0; t < rows[r].Length - 1; t++)
            {
                inputs[r * width + t] = rows[r][t];
                targets[r * width + t] = rows[r][t + 1];
                predicted++;
            }
        }
        return new TokenBatch(
            tensor(inputs, new long[] { rows.Count, width }, device: device),
            tensor(targets, new long[] { rows.Count, width }, device: device),
            predicted);
    }

    /// <summary>
    /// One sequence whose loss counts only the tokens after the first <paramref name="promptLength"/>: what a model
    /// generated given its prompt. A sequence longer than <paramref name="maxLength"/> keeps its last tokens, so the
    /// completion is cut only when it alone is longer than the window.
    /// </summary>
    public static TokenBatch ForCompletion(IReadOnlyList<int> tokens, int promptLength, int maxLength, Device device)
    {
        var drop = Math.Max(0, tokens.Count - maxLength);
        var kept = tokens.Skip(drop).ToArray();
        var firstScored = Math.Max(1, promptLength - drop);
        if (kept.Length < 2 || firstScored >= kept.Length)
        {
            throw new ArgumentException("A completion needs at least one generated token after its prompt.");
        }
        var width = kept.Length - 1;
        var inputs = new long[width];
        var targets = new long[width];
        for (var t = 0; t < width; t++)
        {
            inputs[t] = kept[t];
            targets[t] = t + 1 >= firstScored ? kept[t + 1] : IgnoreIndex;
        }
        return new TokenBatch(
            tensor(inputs, new long[] { 1, width }, device: device),
            tensor(targets, new long[] { 1, width }, device: device),
            kept.Length - firstScored);
    }

    /// <summary>Mean cross-entropy of <paramref name="logits"/> [B, T, V] against the targets.</summary>
    public Tensor Loss(Tensor logits) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), Targets.reshape(-1), ignore_index: IgnoreIndex);

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
