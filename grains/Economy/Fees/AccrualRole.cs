namespace OpenLedger.Economy.Fees;

/// <summary>Why an accrual was paid: the part of the fee split it comes from.</summary>
public enum AccrualRole
{
    /// <summary>Burned on-chain; never claimable and never in the Merkle tree.</summary>
    Burn,

    /// <summary>The protocol treasury's part (and the data part of an inference attributed to nobody).</summary>
    Protocol,

    /// <summary>The model developer's part.</summary>
    ModelDeveloper,

    /// <summary>A data contributor's part of the data share, by attribution.</summary>
    DataContributor,
}
