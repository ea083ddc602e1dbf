namespace OpenLedger.Economy.Chain;

/// <summary>A transaction of the outbox could not be driven forward; the entry, when there is one, stays in the store.</summary>
public class ChainSendException : Exception
{
    /// <summary>Creates the error for <paramref name="purpose"/>.</summary>
    public ChainSendException(string purpose, string message, Exception? inner = null)
        : base(message, inner)
    {
        Purpose = purpose;
    }

    /// <summary>The purpose whose transaction failed.</summary>
    public string Purpose { get; }
}
