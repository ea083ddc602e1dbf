using static TorchSharp.torch;

namespace OpenLedger.Model.Lora;

/// <summary>Puts fresh, trainable LoRA factors on a model's target projections and freezes everything else.</summary>
public static class LoraAttachment
{
    /// <summary>
    /// Attaches adapters initialised as PEFT does: A uniform in +-1/sqrt(in) (Kaiming with a = sqrt(5)), B zero, so
    /// the adapted model starts equal to the base. Returns the trainable factors by PEFT tensor name.
    /// </summary>
    public static IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> AttachFresh(
        LlamaModel model, LoraSettings settings, long seed, Generator? dropoutGenerator)
    {
        settings.Validate();
        using var init = new Generator((ulong)seed);
        foreach (var (_, parameter) in model.BaseParameters())
        {
            parameter.requires_grad = false;
        }
        foreach (var (path, projection) in model.Projections().Where(p => settings.Targets(p.Path)))
        {
            var inFeatures = projection.Weight.shape[1];
            var bound = 1.0 / Math.Sqrt(inFeatures);
            using var a = rand(new long[] { settings.Rank, inFeatures }, generator: init) * (2 * bound) - bound;
            using var b = zeros(projection.Weight.shape[0], settings.Rank);
            projection.AttachLora(a, b, settings.Scaling, settings.Dropout, dropoutGenerator);
        }
        return TrainableFactors(model);
    }

    /// <summary>The attached factors by PEFT tensor name, A and B of each projection in module order.</summary>
    public static IReadOnlyList<(string Name, TorchSharp.Modules.Parameter Parameter)> TrainableFactors(LlamaModel model)
    {
        var result = new List<(string, TorchSharp.Modules.Parameter)>();
        foreach (var (path, projection) in model.Projections())
        {
            if (projection.Lora is { } lora)
            {
                result.Add((PeftAdapter.TensorName(path, "lora_A"), lora.A));
                result.Add((PeftAdapter.TensorName(path, "lora_B"), lora.B));
            }
        }
        return result;
    }

    /// <summary>Removes every adapter without merging.</summary>
    public static void DetachAll(LlamaModel model)
    {
        foreach (var (_, projection) in model.Projections())
        {
            projection.DetachLora();
        }
    }

    /// <summary>Folds every attached adapter into its base weight.</summary>
    public static void MergeAll(LlamaModel model)
    {
        foreach (var (_, projection) in model.Projections().Where(p => p.Projection.Lora is not null))
        {
            projection.Merge();
        }
    }

    /// <summary>Takes every attached adapter back out of its base weight.</summary>
    public static void UnmergeAll(LlamaModel model)
    {
        foreach (var (_, projection) in model.Projections().Where(p => p.Projection.Lora is not null))
        {
            projection.Unmerge();
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> with <paramref name="adapter"/> folded into the model's weights (none: the model as
    /// it is), then takes it out again: how a single-adapter server switches adapters, and the reference that batched
    /// serving is checked against.
    /// </summary>
    public static T WithMerged<T>(LlamaModel model, PeftAdapter? adapter, Func<T> run)
    {
        if (adapter is null)
        {
            return run();
        }
        adapter.ApplyTo(model);
        MergeAll(model);
        DetachAll(model);
        try
        {
            return run();
        }
        finally
        {
            adapter.ApplyTo(model);
            UnmergeAll(model);
            DetachAll(model);
        }
    }
}
