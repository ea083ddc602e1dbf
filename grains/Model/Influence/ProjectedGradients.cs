using OpenLedger.Model.Training;
using static TorchSharp.torch;

namespace OpenLedger.Model.Influence;

/// <summary>
/// Projected per-example gradients as plain float rows, the form attribution stores and scores: for a training set
/// (one row per example, a batch at a time) and for one generated completion (its loss over the generated tokens only).
/// </summary>
public static class ProjectedGradients
{
    /// <summary>
    /// Each adapted projection's block of a projected row, in row order: its path and width (r·k for the A factor then
    /// k·r for the B factor). DataInf inverts each block separately.
    /// </summary>
    public static IReadOnlyList<(string Path, int Length)> Layout(LlamaModel model, int dimensions) =>
        model.Projections().Where(p => p.Projection.Lora is not null)
            .Select(p => (p.Path, 2 * (int)p.Projection.Lora!.Value.A.shape[0] * dimensions)).ToList();

    /// <summary>Rows [N, D] for <paramref name="sequences"/> (each at least two tokens), <paramref name="batchSize"/> at a time.</summary>
    public static float[] OfExamples(GradientProjector projector, LlamaModel model, IReadOnlyList<IReadOnlyList<int>> sequences, int maxLength, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (sequences.FirstOrDefault(s => s.Count < 2) is { } tooShort)
        {
            throw new ArgumentException($"Example {sequences.ToList().IndexOf(tooShort)} has {tooShort.Count} token(s); a gradient needs at least two.");
        }
        var width = Layout(model, projector.Dimensions).Sum(b => b.Length);
        var rows = new float[checked(sequences.Count * width)];   // one array: past 2^31 values the index must be streamed
        var device = model.BaseParameters()[0].Parameter.device;
        for (var first = 0; first < sequences.Count; first += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = sequences.Skip(first).Take(batchSize).ToList();
            using var tokens = TokenBatch.Create(batch, maxLength, device);
            var projected = projector.Project(model, tokens).to(float32).cpu();
            projected.data<float>().CopyTo(rows, checked(first * width));
        }
        return rows;
    }

    /// <summary>One row for a completion: <paramref name="tokens"/> is prompt then output, the loss counts the output only.</summary>
    public static float[] OfCompletion(GradientProjector projector, LlamaModel model, IReadOnlyList<int> tokens, int promptLength, int maxLength)
    {
        using var scope = NewDisposeScope();
        using var batch = TokenBatch.ForCompletion(tokens, promptLength, maxLength, model.BaseParameters()[0].Parameter.device);
        return projector.Project(model, batch).to(float32).cpu().data<float>().ToArray();
    }
}
