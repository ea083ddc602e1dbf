namespace OpenLedger.Grains.Economy;

/// <summary>A ledger shard as stored: the open epoch's number and every epoch not yet posted (the open one included).</summary>
[GenerateSerializer, Alias("OpenLedger.LedgerShardState")]
public sealed class LedgerShardState
{
    /// <summary>The epoch charges land in now.</summary>
    [Id(0)] public long OpenEpoch { get; set; } = 1;

    /// <summary>Epochs still held: the open one and those sealed but not released.</summary>
    [Id(1)] public Dictionary<long, ShardEpoch> Epochs { get; set; } = [];
}

/// <summary>One epoch's totals on one shard, in decimal wei.</summary>
[GenerateSerializer, Alias("OpenLedger.ShardEpoch")]
public sealed class ShardEpoch
{
    /// <summary>Recipient → wei accrued (the burn under the zero address).</summary>
    [Id(0)] public Dictionary<string, string> Accrued { get; set; } = [];

    /// <summary>Agent → wei debited.</summary>
    [Id(1)] public Dictionary<string, string> Debits { get; set; } = [];

    /// <summary>Inference id → hash of its attribution record.</summary>
    [Id(2)] public Dictionary<string, string> Records { get; set; } = [];

    /// <summary>True once sealed: nothing more lands in it.</summary>
    [Id(3)] public bool Sealed { get; set; }
}
