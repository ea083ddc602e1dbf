namespace OpenLedger.Economy.Chain;

/// <summary>
/// Where one outbox transaction stands. The stages only move forward, except that a reorg can send a
/// <see cref="Mined"/> entry back to <see cref="Broadcast"/>; <see cref="Confirmed"/> and <see cref="Reverted"/> are final.
/// </summary>
public enum OutboxStage
{
    /// <summary>Signed and persisted with its nonce, possibly not yet sent: a restart must broadcast the stored raw transaction.</summary>
    Signed,

    /// <summary>Handed to the node at least once; no receipt seen yet.</summary>
    Broadcast,

    /// <summary>A receipt exists for one of its hashes; waiting for the confirmation depth.</summary>
    Mined,

    /// <summary>Mined with status 1 and buried under the configured number of blocks. Final.</summary>
    Confirmed,

    /// <summary>Mined with status 0 and buried under the configured number of blocks. Final: a revert is reported, never retried.</summary>
    Reverted,
}
