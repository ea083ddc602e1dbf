using System.Runtime.CompilerServices;
using System.Text;
using OpenLedger.Agents;
using OpenLedger.Attribution;
using OpenLedger.Client.OpenAi;
using OpenLedger.Datanets;
using OpenLedger.Serving;

namespace OpenLedger.Client.Agents;

/// <summary>
/// The grid's agent API over an Orleans gateway (<see cref="IAgentGatewayGrain"/>). Each attempt of a call carries the
/// key and, with the private key, a fresh signature of the text the HTTP request would have had, which the grid
/// rebuilds from the call itself. A call refused before any work is sent again as <see cref="AgentClientOptions"/>
/// allows; a stream is only sent again while its first piece has not arrived, and that is when refusals come.
/// </summary>
internal sealed class AgentGatewayTransport(IClusterClient cluster, GridClient? owned, AgentRequestSigner? signer, AgentClientOptions options) : IAgentTransport
{
    public Uri? BaseAddress => null;

    private IAgentGatewayGrain Gateway => cluster.GetGrain<IAgentGatewayGrain>(0);

    public async Task<IReadOnlyList<OpenAiModel>> ListModelsAsync(string apiKey, CancellationToken cancellation)
    {
        var models = await CallAsync(apiKey, AgentGatewayRequests.Get, AgentGatewayRequests.Models, idempotent: true, cancellation,
            (credential, token) => Gateway.ListModels(credential, token));
        return models.Select(AgentGatewayConversions.Model).ToList();
    }

    public async Task<OpenAiCompletionChunk> CompleteAsync(string apiKey, AgentPrompt prompt, CancellationToken cancellation)
    {
        var text = new StringBuilder();
        OpenAiCompletionChunk? last = null;
        await foreach (var chunk in StreamAsync(apiKey, prompt, cancellation))
        {
            text.Append(chunk.Text);
            last = chunk;
        }
        return last is null ? new OpenAiCompletionChunk("", null, null) : last with { Text = text.ToString() };
    }

    public async IAsyncEnumerable<OpenAiCompletionChunk> StreamAsync(string apiKey, AgentPrompt prompt, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var call = Call(prompt);
        var body = AgentGatewayRequests.Body(call);
        var path = AgentGatewayRequests.Completion(call.Chat);
        var requestId = (call.Chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N")[..24];
        var (chunks, stop, any) = await StartAsync(apiKey, call, body, path, cancellation);
        try
        {
            for (var more = any; more; more = await NextAsync(chunks))
            {
                yield return AgentGatewayConversions.Chunk(chunks.Current, requestId);
                // Pieces may already be buffered here; a cancelled caller gets none of them.
                cancellation.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            // Disposing ends the call on the grid too, which frees its slot with the tokens used so far.
            await chunks.DisposeAsync();
            stop.Dispose();
        }
    }

    public Task<AttributionRecord> GetAttributionAsync(string apiKey, string inferenceId, CancellationToken cancellation) =>
        CallAsync(apiKey, AgentGatewayRequests.Get, AgentGatewayRequests.Attribution(inferenceId), idempotent: true, cancellation,
            (credential, token) => Gateway.Attribution(credential, inferenceId, token));

    public async Task<AgentStatus> StatusAsync(string apiKey, bool refresh, CancellationToken cancellation) =>
        AgentGatewayConversions.Status(await CallAsync(apiKey, AgentGatewayRequests.Get, AgentGatewayRequests.Status(refresh), idempotent: true, cancellation,
            (credential, token) => Gateway.Status(credential, refresh, token)));

    public Task RevokeKeyAsync(string apiKey, string keyId, CancellationToken cancellation) =>
        // Revoking is idempotent on the grid, so a lost answer may be asked again.
        CallAsync(apiKey, AgentGatewayRequests.Delete, AgentGatewayRequests.Key(keyId), idempotent: true, cancellation,
            async (credential, token) =>
            {
                await Gateway.Revoke(credential, keyId, token);
                return true;
            });

    public async Task<IssuedAgentKey> IssueKeyAsync(AgentRequestSigner signer, string? label, CancellationToken cancellation)
    {
        // Keys are issued by the agent's own grain, as the HTTP routes for challenges and keys do: no key is needed to ask.
        var agent = cluster.GetGrain<IAgentGrain>(EthereumAddress.TryNormalize(signer.Address)!);
        try
        {
            var challenge = await agent.Challenge().WaitAsync(options.Timeout, cancellation);
            return AgentGatewayConversions.Issued(await agent.Register(challenge.Text, signer.SignText(challenge.Text), label).WaitAsync(options.Timeout, cancellation));
        }
        catch (Exception e) when (AgentGatewayErrors.Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (owned is not null)
        {
            await owned.DisposeAsync();
        }
    }

    // The same request the HTTP API would build from the same arguments; a seed left to the grid is drawn here.
    private static AgentCompletionCall Call(AgentPrompt prompt)
    {
        var sampling = prompt.Sampling ?? new OpenAiSampling();
        var text = prompt.IsChat ? ChatTranscript.Render(prompt.Messages!.Select(m => (m.Role, m.Content))) : prompt.Prompt!;
        var request = new CompletionRequest(text, sampling.MaxTokens, sampling.Temperature, sampling.TopP, sampling.Seed ?? Random.Shared.Next(),
            sampling.Stop is { Count: > 0 } stop ? stop : null, null, prompt.AttributeSync);
        return new AgentCompletionCall(prompt.Model, request, prompt.IsChat);
    }

    private AgentCredential Credential(string apiKey, string method, string path, ReadOnlySpan<byte> body)
    {
        if (signer is null || !options.SignRequests)
        {
            return new AgentCredential(apiKey);
        }
        var signature = signer.Sign(method, path, body);
        return new AgentCredential(apiKey, new AgentCallSignature(signature.Timestamp, signature.Nonce, signature.Signature));
    }

    private async Task<T> CallAsync<T>(string apiKey, string method, string path, bool idempotent, CancellationToken cancellation,
        Func<AgentCredential, CancellationToken, Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var once = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            TimeSpan? delay;
            try
            {
                // A fresh signature each attempt: the grid would refuse a nonce it has seen as replayed.
                return await Within(call(Credential(apiKey, method, path, []), once.Token), once, path, cancellation);
            }
            catch (Exception e) when ((delay = AgentGatewayErrors.RetryDelay(e, options, attempt, idempotent)) is not null)
            {
                // Waited for below, outside the handler.
            }
            catch (Exception e) when (AgentGatewayErrors.Translate(e) is { } translated)
            {
                throw translated;
            }
            await Task.Delay(delay.Value, cancellation);
        }
    }

    // The first piece is where admission answers: a refusal that did no work is sent again with a fresh signature.
    private async Task<(IAsyncEnumerator<CompletionChunk> Chunks, CancellationTokenSource Stop, bool Any)> StartAsync(
        string apiKey, AgentCompletionCall call, byte[] body, string path, CancellationToken cancellation)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var chunks = Gateway.Generate(Credential(apiKey, AgentGatewayRequests.Post, path, body), call, stop.Token).GetAsyncEnumerator(stop.Token);
            TimeSpan? delay;
            var started = false;
            try
            {
                var any = await Within(chunks.MoveNextAsync().AsTask(), stop, path, cancellation);
                started = true;
                return (chunks, stop, any);
            }
            catch (Exception e) when ((delay = AgentGatewayErrors.RetryDelay(e, options, attempt, idempotent: false)) is not null)
            {
                // Waited for below, once this attempt is let go of.
            }
            catch (Exception e) when (AgentGatewayErrors.Translate(e) is { } translated)
            {
                throw translated;
            }
            finally
            {
                if (!started)
                {
                    await chunks.DisposeAsync();
                    stop.Dispose();
                }
            }
            await Task.Delay(delay.Value, cancellation);
        }
    }

    private static async ValueTask<bool> NextAsync(IAsyncEnumerator<CompletionChunk> chunks)
    {
        try
        {
            return await chunks.MoveNextAsync();
        }
        catch (Exception e) when (AgentGatewayErrors.Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    // How long one attempt waits for its answer to begin; past it the call is cancelled on the grid as well.
    private async Task<T> Within<T>(Task<T> attempt, CancellationTokenSource call, string path, CancellationToken cancellation)
    {
        try
        {
            return await attempt.WaitAsync(options.Timeout, cancellation);
        }
        catch (TimeoutException e) when (!cancellation.IsCancellationRequested && !attempt.IsCompleted)
        {
            await call.CancelAsync();
            throw new TimeoutException(
                $"{path} over the gateway got no answer within {options.Timeout.TotalSeconds:0.#} s; raise AgentClientOptions.Timeout if the grid is busy.", e);
        }
    }
}
