using System.Numerics;

namespace OpenLedger.Economy.Chain;

/// <summary>
/// Durable storage for the signer's outbox: in the grid, the settlement grain's persistent state. A save must be
/// atomic (the entry and the next nonce together, or neither), because the nonce is advanced in the same write that
/// records the signed transaction owning it; that is what keeps nonces gapless across crashes.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Reads every entry and the next nonce.</summary>
    Task<OutboxSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the entry for <see cref="OutboxEntry.Purpose"/> and records <paramref name="nextNonce"/>, atomically.</summary>
    Task SaveAsync(OutboxEntry entry, BigInteger nextNonce, CancellationToken cancellationToken);
}
