using OpenLedger.Attribution.Influence;
using OpenLedger.Grains.Models;
using OpenLedger.Model;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Influence;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Tokenization;
using OpenLedger.Models;

namespace OpenLedger.Grains.Attribution;

/// <summary>
/// This silo's copies of base models for attribution: the inference's gradient at each kept checkpoint comes from the
/// base model with that checkpoint's adapter attached, projected exactly as the training gradients were, then
/// preconditioned by the checkpoint's DataInf inverse. One computation per base model at a time; checkpoint adapters
/// and inverses are cached by their hashes.
/// </summary>
public sealed class InfluenceModels(BaseModelStore models, AttributionArtifacts artifacts) : IDisposable
{
    private readonly LoadOnce<Loaded> _bases = new();
    private readonly LoadOnce<PeftAdapter> _adapters = new();
    private readonly LoadOnce<DataInf> _inverses = new();

    private sealed class Loaded(LlamaModel model, TextTokenizer tokenizer) : IDisposable
    {
        public LlamaModel Model { get; } = model;

        public TextTokenizer Tokenizer { get; } = tokenizer;

        public SemaphoreSlim Turn { get; } = new(1, 1);

        public Dictionary<(int, long), GradientProjector> Projectors { get; } = [];

        public void Dispose()
        {
            foreach (var projector in Projectors.Values)
            {
                projector.Dispose();
            }
            Model.Dispose();
        }
    }

    /// <summary>The tokenizer of <paramref name="baseModel"/>.</summary>
    public async Task<TextTokenizer> TokenizerAsync(BaseModelInfo baseModel) => (await BaseAsync(baseModel)).Tokenizer;

    /// <summary>
    /// The preconditioned projected gradient of <paramref name="tokens"/> (prompt then output) at each of the index's
    /// checkpoints, in its order: what every shard scores its examples against; and its own Σ lr·v·H⁻¹v, the scale of
    /// relative influence.
    /// </summary>
    public async Task<InferenceQuery> QueryAsync(BaseModelInfo baseModel, AttributionIndex index, IReadOnlyList<int> tokens, int promptLength)
    {
        var loaded = await BaseAsync(baseModel);
        var adapters = new List<PeftAdapter>();
        var inverses = new List<DataInf>();
        foreach (var checkpoint in index.Checkpoints)
        {
            adapters.Add(await _adapters.GetAsync(checkpoint.AdapterConfig.Hash + checkpoint.AdapterWeights.Hash, () => LoadAdapterAsync(index.ModelId, checkpoint)));
            inverses.Add(await _inverses.GetAsync(checkpoint.DataInf.Hash, () => LoadInverseAsync(index.ModelId, checkpoint.DataInf)));
        }
        await loaded.Turn.WaitAsync();
        try
        {
            return await Task.Run(() =>
            {
                var projector = Projector(loaded, index);
                var query = new InferenceQuery();
                try
                {
                    for (var c = 0; c < adapters.Count; c++)
                    {
                        adapters[c].ApplyTo(loaded.Model);
                        var gradient = ProjectedGradients.OfCompletion(projector, loaded.Model, tokens, promptLength, index.SequenceLength);
                        query.Add(gradient, inverses[c], index.Checkpoints[c].LearningRate);
                    }
                }
                finally
                {
                    LoraAttachment.DetachAll(loaded.Model);
                }
                return query;
            });
        }
        finally
        {
            loaded.Turn.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var loaded in _bases.Loaded)
        {
            loaded.Dispose();
        }
        _bases.Clear();
    }

    private static GradientProjector Projector(Loaded loaded, AttributionIndex index)
    {
        var key = (index.ProjectionDimensions, index.ProjectionSeed);
        if (!loaded.Projectors.TryGetValue(key, out var projector))
        {
            projector = new GradientProjector(loaded.Model, index.ProjectionDimensions, index.ProjectionSeed);
            loaded.Projectors[key] = projector;
        }
        return projector;
    }

    private Task<Loaded> BaseAsync(BaseModelInfo baseModel) => _bases.GetAsync(baseModel.Hash, async () =>
    {
        var folder = await models.LocalFolderAsync(baseModel);
        return await Task.Run(() =>
        {
            var model = HfCheckpoint.Load(folder, TorchDevices.Preferred);
            return new Loaded(model, TextTokenizer.Load(folder, model.Config));
        });
    });

    private async Task<PeftAdapter> LoadAdapterAsync(string modelId, IndexCheckpoint checkpoint)
    {
        var config = System.Text.Encoding.UTF8.GetString(await artifacts.ReadAsync(modelId, checkpoint.AdapterConfig));
        var weights = await artifacts.ReadAsync(modelId, checkpoint.AdapterWeights);
        return PeftAdapter.Parse(config, weights, $"{modelId}@{checkpoint.Step}");
    }

    private async Task<DataInf> LoadInverseAsync(string modelId, IndexArtifact artifact)
    {
        using var stream = new MemoryStream(await artifacts.ReadAsync(modelId, artifact));
        return DataInf.ReadFrom(stream);
    }
}
