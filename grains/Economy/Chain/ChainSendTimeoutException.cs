namespace OpenLedger.Economy.Chain;

/// <summary>An entry was not final within <see cref="ChainSenderOptions.SendTimeout"/>; it stays in the store and a later call resumes it.</summary>
public sealed class ChainSendTimeoutException(OutboxEntry entry, TimeSpan waited)
    : ChainSendException(entry.Purpose,
        $"Purpose '{entry.Purpose}' (nonce {entry.Nonce}, hash {entry.TransactionHash}) is still {entry.Stage} after {waited}. " +
        "It is kept in the outbox: call SendAsync or RecoverAsync again to resume it.")
{
    /// <summary>The entry as last saved.</summary>
    public OutboxEntry Entry { get; } = entry;
}
