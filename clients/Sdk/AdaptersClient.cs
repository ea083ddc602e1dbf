using OpenLedger.Errors;
using OpenLedger.Serving;
using Orleans.Runtime;

namespace OpenLedger.Client;

/// <summary>LoRA adapters served on the grid's base models: deploy, list, pin, evict and undeploy.</summary>
public sealed class AdaptersClient(IClusterClient cluster)
{
    /// <summary>The PEFT config file a folder deployment reads.</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>The PEFT weights file a folder deployment reads.</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>Deploys the adapter of model <paramref name="modelId"/>, published by ModelFactory, as <paramref name="adapterId"/>.</summary>
    public Task<AdapterInfo> DeployModelAsync(string adapterId, string baseModel, string modelId, bool pinned = false) =>
        Placed(adapterId, baseModel).Deploy(new AdapterDeployment(baseModel, ModelId: modelId, Pinned: pinned));

    /// <summary>Deploys PEFT files given as adapter_config.json text and adapter_model.safetensors bytes.</summary>
    public Task<AdapterInfo> DeployPeftAsync(string adapterId, string baseModel, string configJson, byte[] weights, bool pinned = false) =>
        Placed(adapterId, baseModel).Deploy(new AdapterDeployment(baseModel, AdapterConfigJson: configJson, AdapterWeights: weights, Pinned: pinned));

    /// <summary>
    /// Deploys a PEFT adapter folder (adapter_config.json and adapter_model.safetensors, as PEFT's save_pretrained
    /// writes them). Throws <see cref="DirectoryNotFoundException"/> or <see cref="FileNotFoundException"/> naming what is missing.
    /// </summary>
    public async Task<AdapterInfo> DeployFolderAsync(string adapterId, string baseModel, string folder, bool pinned = false,
        CancellationToken cancellation = default)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"There is no folder '{folder}'.");
        }
        var configPath = RequiredFile(folder, ConfigFile);
        var weightsPath = RequiredFile(folder, WeightsFile);
        var configJson = await File.ReadAllTextAsync(configPath, cancellation);
        var weights = await File.ReadAllBytesAsync(weightsPath, cancellation);
        return await DeployPeftAsync(adapterId, baseModel, configJson, weights, pinned);
    }

    /// <summary>Every deployed adapter, in deployment order, each asked for its state at once.</summary>
    public async Task<IReadOnlyList<AdapterInfo>> ListAsync()
    {
        var deployed = await cluster.GetGrain<IAdapterDirectoryGrain>(IAdapterDirectoryGrain.Key).List();
        var infos = await Task.WhenAll(deployed.Select(a => InfoOrNullAsync(a.AdapterId)));
        return infos.OfType<AdapterInfo>().ToList();
    }

    /// <summary>One adapter: what it is, where it lives now, and what it has served.</summary>
    public Task<AdapterInfo> GetAsync(string adapterId) => Grain(adapterId).GetInfo();

    /// <summary>Pins the adapter on its device (loading it now) or lets it be evicted again.</summary>
    public Task<AdapterInfo> SetPinnedAsync(string adapterId, bool pinned) => Grain(adapterId).SetPinned(pinned);

    /// <summary>Takes the adapter off its device; it stays deployed and returns on its next request.</summary>
    public Task<AdapterInfo> EvictAsync(string adapterId) => Grain(adapterId).Evict();

    /// <summary>Removes the deployment; later requests for it are refused.</summary>
    public Task UndeployAsync(string adapterId) => Grain(adapterId).Undeploy();

    private IAdapterGrain Grain(string adapterId) => cluster.GetGrain<IAdapterGrain>(adapterId);

    // A deployment usually activates the grain: the hint places it on a silo already running its base model.
    private IAdapterGrain Placed(string adapterId, string baseModel)
    {
        RequestContext.Set(IAdapterGrain.BaseModelContextKey, baseModel);
        return Grain(adapterId);
    }

    // The directory can name an adapter that is being undeployed while the list is read; it is simply left out.
    private async Task<AdapterInfo?> InfoOrNullAsync(string adapterId)
    {
        try
        {
            return await Grain(adapterId).GetInfo();
        }
        catch (UnknownAdapterException)
        {
            return null;
        }
    }

    private static string RequiredFile(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The adapter folder '{folder}' has no {name}; a PEFT adapter needs both {ConfigFile} and {WeightsFile}.", path);
        }
        return path;
    }
}
