namespace OpenLedger.Client.Agents;

/// <summary>
/// 401: the key or the request's signature was refused: <c>invalid_api_key</c>, <c>key_revoked</c>,
/// <c>replayed_request</c>, <c>forged_request</c> or <c>request_expired</c> (the clock is more than five minutes off).
/// Sending the same request again does not help; register a new key, or fix the clock or the signing key.
/// </summary>
public sealed class AgentKeyRejectedException(int status, string type, string? code, string? param, string message)
    : AgentApiException(status, type, code, param, message)
{
}
