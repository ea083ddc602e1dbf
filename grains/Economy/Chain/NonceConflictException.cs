namespace OpenLedger.Economy.Chain;

/// <summary>
/// The node says an entry's nonce is already used, yet none of the entry's hashes has a receipt: another signer used
/// the key. The entry is left as it is; an operator must decide (the key must have one owner).
/// </summary>
public sealed class NonceConflictException(OutboxEntry entry, string nodeAnswer)
    : ChainSendException(entry.Purpose,
        $"Nonce {entry.Nonce} of purpose '{entry.Purpose}' was consumed by a transaction this outbox did not sign (node: {nodeAnswer}). " +
        "Make sure only the settlement grain signs with this key, then re-send the purpose under a new name.")
{
    /// <summary>The entry whose nonce was taken.</summary>
    public OutboxEntry Entry { get; } = entry;
}
