namespace OpenLedger.Economy;

/// <summary>
/// One ledger shard's part of a closed epoch: each recipient's accrued wei (the burn under the zero address), each
/// agent's debit, and the attribution records charged, with their hashes. Amounts are decimal wei strings.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SealedShard")]
public sealed record SealedShard(
    [property: Id(0)] long EpochId,
    [property: Id(1)] IReadOnlyDictionary<string, string> Accrued,
    [property: Id(2)] IReadOnlyDictionary<string, string> Debits,
    [property: Id(3)] IReadOnlyDictionary<string, string> Records);
