using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using OpenLedger.Agents;
using OpenLedger.Economy.Agents;
using OpenLedger.Errors;
using OpenLedger.Grains.Serving;
using OpenLedger.Serving;

namespace OpenLedger.Grains.Agents;

/// <summary>
/// The transport-free half of letting an agent's call in, shared by every door (the HTTP API and the agent gateway
/// grain): reading an agent key, checking a signature's form and recovering its signer, admission by the agent's
/// grain, serving a completion charged to the agent, recording a refusal by the fee vault, and freeing the call's slot
/// with the tokens it used. A door only turns its transport into these calls and their errors back into its own.
/// </summary>
public sealed class AgentDoor(IGrainFactory grains, ModelRoutes routes)
{
    /// <summary>The parts of <paramref name="apiKey"/>; an <see cref="AgentKeyRejectedException"/> when it is not an agent key.</summary>
    public static AgentKeyFormat.Parts ParseKey(string? apiKey) =>
        (apiKey is null ? null : AgentKeyFormat.Parse(apiKey))
        ?? throw new AgentKeyRejectedException("invalid_api_key", "The agent key is not recognised by this grid. Check the key, or get one by signing a challenge.");

    /// <summary>Whether <paramref name="nonce"/> has a signed request's nonce form: 16 to 64 hex digits.</summary>
    public static bool IsNonce(string? nonce) => nonce is { Length: >= 16 and <= 64 } && nonce.All(Uri.IsHexDigit);

    /// <summary>
    /// A signed request as the agent's grain judges it: the address that signed the request's text (method, path with
    /// query, time, nonce and body hash; null when the signature is malformed), and the hash of that text.
    /// </summary>
    public static SignedRequest Signed(string method, string pathAndQuery, long timestampMs, string nonce, ReadOnlySpan<byte> body, string signature)
    {
        var text = AgentSignatures.Request(method, pathAndQuery, timestampMs, nonce, AgentSignatures.BodyHash(body));
        var requestHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return new SignedRequest(AgentSignatures.Signer(text, signature), nonce.ToLowerInvariant(), timestampMs, requestHash);
    }

    /// <summary>
    /// Admits a call by <paramref name="agent"/> or throws the agent error that refuses it, before any work. An
    /// admitted inference holds a slot until its lease is disposed.
    /// </summary>
    public async Task<AgentLease> AdmitAsync(string agent, string? keyId, string? secretHash, AgentCallKind kind, int estimatedTokens, SignedRequest? signed, string route)
    {
        var grain = grains.GetGrain<IAgentGrain>(agent);
        var admission = await grain.Admit(new AgentCall(keyId, secretHash, kind, estimatedTokens, signed, route));
        return new AgentLease(grain, agent, admission.LeaseId);
    }

    /// <summary>
    /// Streams <paramref name="model"/>'s completion of <paramref name="request"/>, charged to the lease's agent (free
    /// without a lease: an operator's call). The lease learns the tokens used as they are reported; a call the fee
    /// vault refuses is also recorded with the agent's grain, where repeated refusals become evidence.
    /// </summary>
    public async IAsyncEnumerable<CompletionChunk> ServeAsync(AgentLease? lease, string model, CompletionRequest request,
        [EnumeratorCancellation] CancellationToken cancellation)
    {
        var stream = await routes.StreamAsync(model, request with { Agent = lease?.Agent }, cancellation);
        await using var chunks = stream.GetAsyncEnumerator(cancellation);
        while (true)
        {
            try
            {
                if (!await chunks.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (InsufficientDepositException ex) when (lease is not null)
            {
                await grains.GetGrain<IAgentGrain>(lease.Agent).DepositRefused(ex.Message);
                throw;
            }
            lease?.Used(chunks.Current);
            yield return chunks.Current;
        }
    }
}
