using System.Numerics;

namespace OpenLedger.Economy.Chain;

/// <summary>What an <see cref="IOutboxStore"/> holds: every entry, and the next nonce the signer will give out.</summary>
/// <param name="Entries">All entries, final ones included (they make a purpose idempotent).</param>
/// <param name="NextNonce">The next unassigned nonce, or null before the first entry was ever saved.</param>
public sealed record OutboxSnapshot(IReadOnlyList<OutboxEntry> Entries, BigInteger? NextNonce);
