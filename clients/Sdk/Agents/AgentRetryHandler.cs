using System.Net;
using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client.Agents;

/// <summary>
/// Sends a request again only where the grid guarantees it did no work and charged nothing: 429 <c>rate_limited</c>,
/// <c>concurrency_limited</c> or <c>server_overloaded</c> (after their <c>Retry-After</c>), 503 (except <c>economy_not_configured</c>, which waiting
/// does not change), and a GET whose connection failed before any response arrived. It returns as soon as a response's
/// headers arrive, so a stream that has started is never sent twice. Waits grow exponentially with jitter, so that
/// agents refused together do not come back together.
/// </summary>
internal sealed class AgentRetryHandler(AgentClientOptions options, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await SendOnceAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < options.MaxRetries && IsIdempotent(request.Method) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(AgentBackoff.Exponential(options, attempt), cancellationToken);
                continue;
            }
            if (attempt >= options.MaxRetries || await RetryDelayAsync(response, attempt, cancellationToken) is not { } delay)
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        attempt.CancelAfter(options.Timeout);
        try
        {
            // The handler below lets go of this token once the headers are in, so disposing it does not cut a stream short.
            return await base.SendAsync(request, attempt.Token);
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{request.Method} {request.RequestUri} got no response within {options.Timeout.TotalSeconds:0.#} s; raise AgentClientOptions.Timeout if the grid is busy.", e);
        }
    }

    /// <summary>The wait before sending again, or null when <paramref name="response"/> is final.</summary>
    private async Task<TimeSpan?> RetryDelayAsync(HttpResponseMessage response, int attempt, CancellationToken cancellation)
    {
        var status = response.StatusCode;
        if (status != HttpStatusCode.TooManyRequests && status != HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }
        // Error bodies are small; reading one buffers it, so the caller can still read it when this is final.
        var code = OpenAiResponses.ErrorCode(await response.Content.ReadAsStringAsync(cancellation));
        var retryable = status == HttpStatusCode.TooManyRequests
            // A 429 without a code comes from a proxy, which limits rates; the grid's budget refusal always names itself.
            ? code is null or AgentErrors.RateLimited or AgentErrors.ConcurrencyLimited or AgentErrors.ServerOverloaded
            : code != AgentErrors.EconomyNotConfigured;
        if (!retryable)
        {
            return null;
        }
        // The grid knows when capacity frees up.
        return AgentErrors.RetryAfter(response) is { } asked ? AgentBackoff.AsAsked(options, asked) : AgentBackoff.Exponential(options, attempt);
    }

    private static bool IsIdempotent(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;
}
