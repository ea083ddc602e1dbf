namespace OpenLedger.Client.Agents;

/// <summary>The three signing headers' values for one request: Unix milliseconds, the nonce, and the <c>0x</c>-prefixed signature.</summary>
public sealed record AgentRequestSignature(long Timestamp, string Nonce, string Signature);
