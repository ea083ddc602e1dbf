using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client.Agents;

/// <summary>
/// A refusal by the grid's agent layer (keys, stake, limits, deposit). Codes without a subclass of their own, such as
/// <c>invalid_signature</c>, <c>challenge_expired</c> and <c>economy_not_configured</c>, arrive as this type. A refused
/// request is never charged.
/// </summary>
public class AgentApiException(int status, string type, string? code, string? param, string message)
    : OpenAiApiException(status, type, code, param, message)
{
}
