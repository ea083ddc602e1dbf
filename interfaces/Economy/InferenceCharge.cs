namespace OpenLedger.Economy;

/// <summary>
/// What one finished inference adds to the ledger: who pays (the agent's 0x address, or null for a free call), the fee
/// in wei and where every wei of it goes, and the hash of its attribution record, so the epoch's batch of records can
/// be anchored on-chain. Amounts are decimal strings of integer wei: nothing about money is ever a float.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.InferenceCharge")]
public sealed record InferenceCharge(
    [property: Id(0)] string InferenceId,
    [property: Id(1)] string? Agent,
    [property: Id(2)] string FeeWei,
    [property: Id(3)] IReadOnlyList<ChargeAccrual> Accruals,
    [property: Id(4)] string RecordHash);

/// <summary>One recipient's part of a fee: a 0x address (the zero address for the burn), its role and the wei.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ChargeAccrual")]
public sealed record ChargeAccrual(
    [property: Id(0)] string Recipient,
    [property: Id(1)] string Role,
    [property: Id(2)] string Wei);
