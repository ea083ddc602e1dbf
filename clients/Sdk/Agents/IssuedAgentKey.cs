using System.Numerics;

namespace OpenLedger.Client.Agents;

/// <summary>
/// A key the grid has just issued to <paramref name="Address"/>, whose stake was <paramref name="StakeWei"/> then.
/// <paramref name="Key"/> is shown only this once: keep it secret, or rotate it when it may have leaked.
/// </summary>
public sealed record IssuedAgentKey(string Key, string KeyId, string Address, BigInteger StakeWei, DateTimeOffset CreatedAt);
