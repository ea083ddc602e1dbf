using OpenLedger.Model.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace OpenLedger.Model.Tests;

/// <summary>
/// Moving a model (to CUDA on GPU hosts) replaces its parameters; every layer must use the moved ones. A dtype change
/// goes through the same replacement, so it stands in for a device move on this CPU-only machine.
/// </summary>
public sealed class DevicePlacementTests
{
    [Fact]
    public void After_a_move_every_layer_and_adapter_uses_the_moved_parameters()
    {
        using var model = TinyModels.Random(TinyModels.Config(), seed: 41);
        using var tokens = TinyModels.Tokens([1, 2, 3]);
        var before = TinyModels.Values(model.forward(tokens));

        model.to(ScalarType.Float64);
        Assert.All(model.Projections(), p => Assert.Equal(ScalarType.Float64, p.Projection.Weight.dtype));
        Assert.All(model.BaseParameters(), p => Assert.Equal(ScalarType.Float64, p.Parameter.dtype));
        var after = TinyModels.Values(model.forward(tokens));
        TinyModels.AssertClose(before, after, 1e-4, "logits after the move");

        // Adapters attached after the move live where the weights live.
        LoraAttachment.AttachFresh(model, new LoraSettings(2, 4, 0.1, ["q_proj"]), seed: 1, dropoutGenerator: new Generator(1));
        Assert.All(LoraAttachment.TrainableFactors(model), f => Assert.Equal(ScalarType.Float64, f.Parameter.dtype));
        model.train();
        using var output = model.forward(tokens);
        Assert.Equal(ScalarType.Float64, output.dtype);
    }
}
