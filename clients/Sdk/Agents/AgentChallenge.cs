namespace OpenLedger.Client.Agents;

/// <summary>The text the grid asks <paramref name="Address"/> (lowercase) to sign before it issues a key, valid until <paramref name="ExpiresAt"/>.</summary>
public sealed record AgentChallenge(string Address, string Challenge, DateTimeOffset ExpiresAt);
