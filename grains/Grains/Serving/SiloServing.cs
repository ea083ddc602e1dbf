using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenLedger.Grains.Models;
using OpenLedger.Model;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;
using OpenLedger.Models;

namespace OpenLedger.Grains.Serving;

/// <summary>
/// The serving engines of this silo, one per base model on this silo's device: each base model is loaded once, on
/// first use, and shared by every adapter grain placed here.
/// </summary>
public sealed class SiloServing(BaseModelStore models, IOptions<ServingHostOptions> options) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ServingEngine>>> _engines = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<LlamaModel> _models = [];

    /// <summary>The device this silo serves on.</summary>
    public string Device => TorchDevices.Preferred.ToString();

    /// <summary>Base models with a running engine here.</summary>
    public IReadOnlyList<string> LoadedBaseModels =>
        _engines.Where(e => e.Value.IsValueCreated && e.Value.Value.IsCompletedSuccessfully).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Engines running here, by base model.</summary>
    public IEnumerable<(string BaseModel, ServingEngine Engine)> Engines =>
        _engines.Where(e => e.Value.IsValueCreated && e.Value.Value.IsCompletedSuccessfully).Select(e => (e.Key, e.Value.Value.Result));

    /// <summary>The adapter-pool budget each engine gets.</summary>
    public long AdapterPoolBytes => options.Value.AdapterPoolBytes;

    /// <summary>This silo's engine for <paramref name="baseModel"/>, loading the base model on first use.</summary>
    public async Task<ServingEngine> EngineAsync(BaseModelInfo baseModel)
    {
        var engine = _engines.GetOrAdd(baseModel.Name, _ => new Lazy<Task<ServingEngine>>(() => StartAsync(baseModel)));
        try
        {
            return await engine.Value;
        }
        catch
        {
            // A failed load is not cached: the next request tries again.
            _engines.TryRemove(new KeyValuePair<string, Lazy<Task<ServingEngine>>>(baseModel.Name, engine));
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, engine) in Engines.ToList())
        {
            await engine.DisposeAsync();
        }
        _engines.Clear();
        foreach (var model in _models)
        {
            model.Dispose();
        }
    }

    private async Task<ServingEngine> StartAsync(BaseModelInfo baseModel)
    {
        var folder = await models.LocalFolderAsync(baseModel);
        return await Task.Run(() =>
        {
            var model = HfCheckpoint.Load(folder, TorchDevices.Preferred);
            _models.Add(model);
            var tokenizer = TextTokenizer.Load(folder, model.Config);
            return new ServingEngine(model, tokenizer, new ServingOptions(options.Value.MaxBatch, options.Value.AdapterPoolBytes));
        });
    }
}
