namespace OpenLedger.Grains.Attribution;

/// <summary>
/// One shard of a model's attribution index (key: <c>MODEL/SHARD</c>): its examples' gradients at every kept
/// checkpoint and its suffix array, loaded once per activation. Ordinary keyed grains, so a model's shards spread over
/// the silos and score in parallel.
/// </summary>
[Alias("OpenLedger.IAttributionShardGrain")]
public interface IAttributionShardGrain : IGrainWithStringKey
{
    /// <summary>Scores every example of the shard against <paramref name="query"/> and finds the output's spans in it.</summary>
    [Alias("Score")]
    [ResponseTimeout("00:03:00")]
    Task<ShardAnswer> Score(ShardQuery query);

    /// <summary>The key of shard <paramref name="shard"/> of <paramref name="modelId"/>.</summary>
    static string Key(string modelId, string shard) => $"{modelId}/{shard}";
}
