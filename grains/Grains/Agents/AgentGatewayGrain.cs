using System.Runtime.CompilerServices;
using OpenLedger.Agents;
using OpenLedger.Attribution;
using OpenLedger.Errors;
using OpenLedger.Grains.Serving;
using OpenLedger.Serving;
using Orleans.Concurrency;

namespace OpenLedger.Grains.Agents;

/// <summary>
/// The agent API for gateway clients, on whichever silo the client's gateway is: a reentrant stateless worker that
/// turns each call into what an HTTP request would be (method, path and body, so a signature covers the same text)
/// and lets it in through the <see cref="AgentDoor"/> the HTTP API uses. Only agents' own keys are accepted here; the
/// operator's configured keys belong to the HTTP API.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class AgentGatewayGrain(AgentDoor door, ModelRoutes routes, ServingAdmission admission) : Grain, IAgentGatewayGrain
{
    private const string InferencePrefix = "inf-";
    private const int LongestInferenceId = 128;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ServedModel>> ListModels(AgentCredential credential, CancellationToken cancellation = default)
    {
        await using var lease = await AdmitReadAsync(credential, AgentGatewayRequests.Get, AgentGatewayRequests.Models);
        return await routes.ListAsync();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CompletionChunk> Generate(AgentCredential credential, AgentCompletionCall call,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        // The silo's bound first, as over HTTP: a refusal here touches no agent state and charges nothing.
        using var place = admission.Enter();
        await using var lease = await AdmitAsync(credential, AgentCallKind.Inference, call.Request.TokenBound,
            AgentGatewayRequests.Post, AgentGatewayRequests.Completion(call.Chat), AgentGatewayRequests.Body(call));
        await foreach (var chunk in door.ServeAsync(lease, call.Model, call.Request, cancellation))
        {
            yield return chunk;
        }
    }

    /// <inheritdoc />
    public async Task<AgentStatus> Status(AgentCredential credential, bool refreshStake, CancellationToken cancellation = default)
    {
        await using var lease = await AdmitAsync(credential, AgentCallKind.Account, 0, AgentGatewayRequests.Get, AgentGatewayRequests.Status(refreshStake), []);
        return await GrainFactory.GetGrain<IAgentGrain>(lease.Agent).Status(refreshStake);
    }

    /// <inheritdoc />
    public async Task<AttributionRecord> Attribution(AgentCredential credential, string inferenceId, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inferenceId);
        await using var lease = await AdmitReadAsync(credential, AgentGatewayRequests.Get, AgentGatewayRequests.Attribution(inferenceId));
        // Ids the grid never mints are answered without activating a grain for them, as over HTTP.
        if (!inferenceId.StartsWith(InferencePrefix, StringComparison.Ordinal) || inferenceId.Length > LongestInferenceId)
        {
            throw new UnknownInferenceException(inferenceId);
        }
        return await GrainFactory.GetGrain<IAttributionGrain>(inferenceId).Get();
    }

    /// <inheritdoc />
    public async Task Revoke(AgentCredential credential, string keyId, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        await using var lease = await AdmitAsync(credential, AgentCallKind.Account, 0, AgentGatewayRequests.Delete, AgentGatewayRequests.Key(keyId), []);
        await GrainFactory.GetGrain<IAgentGrain>(lease.Agent).Revoke(keyId);
    }

    private Task<AgentLease> AdmitReadAsync(AgentCredential credential, string method, string path) =>
        AdmitAsync(credential, AgentCallKind.Read, 0, method, path, []);

    private Task<AgentLease> AdmitAsync(AgentCredential credential, AgentCallKind kind, int estimatedTokens, string method, string path, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var key = AgentDoor.ParseKey(credential.ApiKey);
        SignedRequest? signed = null;
        if (credential.Signature is { } signature)
        {
            if (!AgentDoor.IsNonce(signature.Nonce))
            {
                throw new AgentKeyRejectedException("invalid_signed_request", "A signed call needs a nonce of 16 to 64 hex digits.");
            }
            signed = AgentDoor.Signed(method, path, signature.TimestampMs, signature.Nonce, body, signature.Signature);
        }
        return door.AdmitAsync(key.Agent, key.KeyId, key.SecretHash, kind, estimatedTokens, signed, $"gateway {method} {path}");
    }
}
