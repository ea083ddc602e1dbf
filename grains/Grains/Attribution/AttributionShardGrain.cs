using OpenLedger.Attribution.Artifacts;
using OpenLedger.Attribution.Influence;
using OpenLedger.Attribution.Spans;
using OpenLedger.Cluster;
using OpenLedger.Errors;
using OpenLedger.Grains.Hosting;

namespace OpenLedger.Grains.Attribution;

/// <summary>
/// Serves one shard of a model's attribution index. The first query loads the shard's gradient files (one per kept
/// checkpoint) and suffix array from Blob storage, checked against the index's hashes; later queries score from
/// memory. Scoring runs off the grain's scheduler, so a silo's cores share the shards it holds.
/// </summary>
[HostedBy(GridRole.Attribution)]
public sealed class AttributionShardGrain(AttributionArtifacts artifacts) : Grain, IAttributionShardGrain
{
    private Loaded? _loaded;

    private sealed record Loaded(string IndexHash, InfluenceShard Influence, IReadOnlyList<ExampleRef> Examples, SuffixArray Spans, long[] DocumentIds);

    /// <inheritdoc />
    public async Task<ShardAnswer> Score(ShardQuery query)
    {
        var key = this.GetPrimaryKeyString();
        var split = key.LastIndexOf('/');
        var (modelId, shard) = (key[..split], key[(split + 1)..]);
        Loaded loaded;
        try
        {
            loaded = _loaded is { } current && current.IndexHash == query.IndexHash ? current : await LoadAsync(modelId, shard, query.IndexHash);
        }
        catch (InvalidDataException ex)
        {
            throw new AttributionIndexException(modelId, $"shard '{shard}': {ex.Message}");
        }
        _loaded = loaded;
        return await Task.Run(() => Answer(loaded, query));
    }

    private static ShardAnswer Answer(Loaded loaded, ShardQuery query)
    {
        var influence = loaded.Influence.Score(query.Checkpoints, query.TopK, gate: new RelevanceGate(query.QueryNorm, query.MinRelevance));
        var spans = SpanFinder.FindLocal(query.Output, loaded.Spans, loaded.DocumentIds, query.MinSpanTokens, query.MaxSpanSources);
        var named = spans.Spans.SelectMany(s => s.Sources).Select(s => s.ExampleId).Distinct()
            .Select(id => loaded.Examples[Array.BinarySearch(loaded.DocumentIds, id)])
            .Select(e => new ShardExample(e.ExampleId, e.ContributionId, e.Contributor, 0)).ToList();
        return new ShardAnswer(
            influence.ContributorSums.Select(p => ContributorSum.Of(p.Key, p.Value)).ToList(),
            influence.Top.Select(t => new ShardExample(t.Example.ExampleId, t.Example.ContributionId, t.Example.Contributor, t.Score)).ToList(),
            spans.Spans.Select(s => new ShardSpan(s.Start, s.Length, s.Occurrences, s.Sources.Select(x => x.ExampleId).ToArray(), s.Sources.Select(x => x.Offset).ToArray())).ToList(),
            spans.CorpusTokens,
            named);
    }

    private async Task<Loaded> LoadAsync(string modelId, string shard, string indexHash)
    {
        var (index, hash) = await artifacts.IndexAsync(modelId);
        if (hash != indexHash)
        {
            throw new AttributionIndexException(modelId, $"the query was made against index {indexHash}, but this silo reads {hash}.");
        }
        var described = index.Shards.FirstOrDefault(s => s.Name == shard)
            ?? throw new AttributionIndexException(modelId, $"it has no shard '{shard}'.");
        var checkpoints = new List<CheckpointGradients>();
        IReadOnlyList<ExampleRef>? examples = null;
        foreach (var checkpoint in index.Checkpoints)
        {
            var file = checkpoint.Shards.FirstOrDefault(s => s.Shard == shard)
                ?? throw new AttributionIndexException(modelId, $"checkpoint {checkpoint.Step} has no gradients for shard '{shard}'.");
            using var stream = new MemoryStream(await artifacts.ReadAsync(modelId, file.Gradients));
            var gradients = await GradientShardFile.ReadAsync(stream);
            if (examples is not null && !examples.Select(e => e.ExampleId).SequenceEqual(gradients.Examples.Select(e => e.ExampleId)))
            {
                throw new AttributionIndexException(modelId, $"checkpoint {checkpoint.Step} of shard '{shard}' lists different examples from the first checkpoint.");
            }
            examples ??= gradients.Examples;
            checkpoints.Add(gradients.Gradients);
        }
        using var spanStream = new MemoryStream(await artifacts.ReadAsync(modelId, described.SuffixArray));
        var suffixArray = SuffixArrayFile.Read(spanStream);
        var ids = examples!.Select(e => e.ExampleId).ToArray();
        if (suffixArray.Corpus.Documents != ids.Length)
        {
            throw new AttributionIndexException(modelId, $"shard '{shard}' has {ids.Length} examples but its suffix array {suffixArray.Corpus.Documents} documents.");
        }
        return new Loaded(hash, new InfluenceShard(examples!, checkpoints), examples!, suffixArray, ids);
    }
}
