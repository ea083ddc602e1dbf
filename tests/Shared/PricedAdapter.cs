using System.Numerics;
using OpenLedger.Client;
using OpenLedger.Serving;

namespace OpenLedger.Testing;

/// <summary>
/// A tiny model fine-tuned on a small Datanet, priced by its owner and deployed as an adapter, so that calls to it are
/// really charged and attributed to the Datanet's contributors.
/// </summary>
public static class PricedAdapter
{
    /// <summary>Trains, prices and deploys the adapter; returns its id (the <c>model</c> callers name).</summary>
    public static async Task<string> PublishAsync(GridClient grid, BigInteger pricePer1k, string prefix = "agents")
    {
        var owner = ContributorKey.Generate();
        var baseModel = await TinyBaseModels.ImportAsync(grid, seed: 9);
        var (datanet, snapshot, _) = await TinyBaseModels.SnapshotAsync(grid, contributions: 2, records: 6);
        var modelId = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        var jobId = "job-" + Guid.NewGuid().ToString("N")[..8];
        await grid.Models.TrainAsync(owner, jobId, TinyBaseModels.Spec(modelId, baseModel.Name, datanet, snapshot, epochs: 1));
        var done = await TinyBaseModels.WaitAsync(grid, jobId, TimeSpan.FromMinutes(4));
        if (done.State != OpenLedger.Models.TrainingState.Completed)
        {
            throw new InvalidOperationException($"The priced model did not train: {done.State} {done.Error}");
        }
        await grid.Models.SetPriceAsync(owner, modelId, pricePer1k);
        await grid.Cluster.GetGrain<IAdapterGrain>(modelId).Deploy(new AdapterDeployment(baseModel.Name, ModelId: modelId));
        return modelId;
    }
}
