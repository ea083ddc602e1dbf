namespace OpenLedger.Economy.Chain;

/// <summary>A purpose was sent again with a different call than the one already signed for it.</summary>
public sealed class PurposeConflictException(OutboxEntry existing, string to, string data, System.Numerics.BigInteger value)
    : ChainSendException(existing.Purpose,
        $"Purpose '{existing.Purpose}' is already signed as nonce {existing.Nonce} to {existing.To} with {existing.Value} wei and {existing.Data.Length / 2 - 1} bytes of data, " +
        $"not to {to} with {value} wei and {data.Length / 2 - 1} bytes. Use a new purpose for a different call.")
{
    /// <summary>The entry already stored for the purpose.</summary>
    public OutboxEntry Existing { get; } = existing;
}
