namespace OpenLedger.Agents;

/// <summary>
/// What a gateway client presents with each call, as an HTTP client sends it in headers: the agent key and, when the
/// agent signs its calls, the signature of the call's text (<see cref="AgentGatewayRequests"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentCredential")]
public sealed record AgentCredential(
    [property: Id(0)] string ApiKey,
    [property: Id(1)] AgentCallSignature? Signature = null);

/// <summary>
/// A call's signature: the signing time (unix milliseconds), the nonce (16 to 64 hex digits) and the EIP-191
/// signature (0x and 130 hex digits) of the text the grid rebuilds from the call itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentCallSignature")]
public sealed record AgentCallSignature(
    [property: Id(0)] long TimestampMs,
    [property: Id(1)] string Nonce,
    [property: Id(2)] string Signature);

/// <summary>A completion asked for over the gateway: the model, the request, and whether it came as chat turns.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.AgentCompletionCall")]
public sealed record AgentCompletionCall(
    [property: Id(0)] string Model,
    [property: Id(1)] Serving.CompletionRequest Request,
    [property: Id(2)] bool Chat = false);
