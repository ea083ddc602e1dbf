using System.Numerics;

namespace OpenLedger.Economy.Fees;

/// <summary>
/// An amount of one fee owed to one recipient (a canonical 0x address) in one role. Burn accruals are addressed to
/// <see cref="FeeSplitter.BurnAddress"/>.
/// </summary>
public sealed record Accrual(string Recipient, AccrualRole Role, BigInteger Wei);
