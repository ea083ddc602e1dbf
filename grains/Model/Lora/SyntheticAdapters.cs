using static TorchSharp.torch;

namespace OpenLedger.Model.Lora;

/// <summary>
/// Adapters with random factors (normal, standard deviation <c>std</c>), drawn from a seed: stand-ins for trained
/// adapters when serving many of them is what is being tried or measured.
/// </summary>
public static class SyntheticAdapters
{
    /// <summary>A PEFT adapter for <paramref name="model"/>; the model is left without adapters and its base weights trainable again.</summary>
    public static PeftAdapter Create(LlamaModel model, LoraSettings settings, long seed, double std, string baseModel)
    {
        LoraAttachment.AttachFresh(model, settings, seed, null);
        try
        {
            using var generator = new Generator((ulong)seed + 1);
            using var noGrad = no_grad();
            foreach (var (_, factor) in LoraAttachment.TrainableFactors(model))
            {
                using var draw = randn(factor.shape, generator: generator) * std;
                factor.copy_(draw);
            }
            return PeftAdapter.Capture(model, settings, baseModel);
        }
        finally
        {
            LoraAttachment.DetachAll(model);
            foreach (var (_, parameter) in model.BaseParameters())
            {
                parameter.requires_grad = true;
            }
        }
    }
}
