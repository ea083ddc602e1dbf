using OpenLedger.Errors;
using OpenLedger.Model;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;
using OpenLedger.Serving;
using UnknownAdapterException = OpenLedger.Errors.UnknownAdapterException;

namespace OpenLedger.Cluster.Tests;

/// <summary>Adapter grains: deploy, stream through the silo's shared engine, come back after a restart, refuse bad input.</summary>
[Collection(GridClusterCollection.Name)]
public sealed class ServingTests(GridCluster grid)
{
    [Fact]
    public async Task Adapters_of_mixed_ranks_stream_what_their_merged_models_generate_and_survive_a_restart()
    {
        var baseInfo = await TinyBaseModels.ImportAsync(grid.Client, seed: 21);
        using var model = HfCheckpoint.Load(TinyBaseModels.Write(21));
        var tokenizer = TextTokenizer.Gpt2();
        var adapters = new[] { 2, 8, 16 }.ToDictionary(
            rank => $"serve-r{rank}-{Guid.NewGuid():N}"[..20],
            rank => SyntheticAdapters.Create(model, new LoraSettings(rank, 2 * rank, 0, rank == 8 ? ["q_proj", "v_proj"] : LoraSettings.AllTargets), rank, 0.3, baseInfo.Name));
        var parameters = new SamplingParameters(MaxTokens: 12);
        var expected = adapters.ToDictionary(a => a.Key, a => AdapterOutputs.Merged(model, tokenizer, a.Value, parameters));
        foreach (var (id, adapter) in adapters)
        {
            var info = await grid.Cluster.Client.GetGrain<IAdapterGrain>(id).Deploy(new AdapterDeployment(baseInfo.Name, AdapterConfigJson: adapter.ConfigJson, AdapterWeights: adapter.Weights));
            Assert.Equal(adapter.Settings.Rank, info.Rank);
            Assert.NotEqual(AdapterResidency.Storage, info.Residency);
            Assert.True(info.DeviceBytes > 0);
        }

        async Task<Dictionary<string, string>> ServeAllAsync()
        {
            var streams = adapters.Keys.Select(async id => (id, text: await AdapterOutputs.CollectAsync(grid.Cluster.Client.GetGrain<IAdapterGrain>(id), parameters)));
            return (await Task.WhenAll(streams)).ToDictionary(r => r.id, r => r.text);
        }
        Assert.Equal(expected, await ServeAllAsync());

        // Nothing but warm cache is lost: the weights come back from Redis or Blob on the new silos.
        await grid.RestartAsync();
        Assert.Equal(expected, await ServeAllAsync());
        var listed = await grid.Cluster.Client.GetGrain<IAdapterDirectoryGrain>(IAdapterDirectoryGrain.Key).List();
        Assert.All(adapters.Keys, id => Assert.Contains(listed, a => a.AdapterId == id && a.BaseModel == baseInfo.Name));
    }

    [Fact]
    public async Task Bad_deployments_and_requests_are_refused_by_name_and_record_nothing()
    {
        var baseInfo = await TinyBaseModels.ImportAsync(grid.Client, seed: 22);
        using var model = HfCheckpoint.Load(TinyBaseModels.Write(22));
        var good = SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 1, 0.1, baseInfo.Name);
        var grains = grid.Cluster.Client;
        var id = $"bad-{Guid.NewGuid():N}"[..16];

        await Assert.ThrowsAsync<UnknownBaseModelException>(() =>
            grains.GetGrain<IAdapterGrain>(id).Deploy(new AdapterDeployment("no-such-base", AdapterConfigJson: good.ConfigJson, AdapterWeights: good.Weights)));
        var neither = await Assert.ThrowsAsync<InvalidAdapterException>(() => grains.GetGrain<IAdapterGrain>(id).Deploy(new AdapterDeployment(baseInfo.Name)));
        Assert.Contains("either a published model", neither.Message);

        // An adapter made for a wider model does not fit this base.
        using var wider = new LlamaModel(TinyBaseModels.Config with { HiddenSize = 64, IntermediateSize = 96 });
        var misfit = SyntheticAdapters.Create(wider, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 1, 0.1, baseInfo.Name);
        var error = await Assert.ThrowsAsync<InvalidAdapterException>(() =>
            grains.GetGrain<IAdapterGrain>(id).Deploy(new AdapterDeployment(baseInfo.Name, AdapterConfigJson: misfit.ConfigJson, AdapterWeights: misfit.Weights)));
        Assert.Contains("shape", error.Message);
        await Assert.ThrowsAsync<UnknownAdapterException>(() => grains.GetGrain<IAdapterGrain>(id).GetInfo());
        await Assert.ThrowsAsync<UnknownAdapterException>(() => AdapterOutputs.CollectAsync(grains.GetGrain<IAdapterGrain>(id), new SamplingParameters()));

        await grains.GetGrain<IAdapterGrain>(id).Deploy(new AdapterDeployment(baseInfo.Name, AdapterConfigJson: good.ConfigJson, AdapterWeights: good.Weights));
        var badTopP = await Assert.ThrowsAsync<InvalidCompletionException>(() => AdapterOutputs.CollectAsync(grains.GetGrain<IAdapterGrain>(id), new SamplingParameters(TopP: 0)));
        Assert.Equal("top_p", badTopP.Parameter);
        var tooLong = await Assert.ThrowsAsync<InvalidCompletionException>(() =>
            AdapterOutputs.CollectAsync(grains.GetGrain<IAdapterGrain>(id), new SamplingParameters(MaxTokens: 8), string.Concat(Enumerable.Repeat("word ", 300))));
        Assert.Equal("context_length_exceeded", tooLong.Code);
        // Refused requests leave the adapter serving.
        Assert.NotEmpty(await AdapterOutputs.CollectAsync(grains.GetGrain<IAdapterGrain>(id), new SamplingParameters(MaxTokens: 3)));
    }
}
