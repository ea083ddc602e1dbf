namespace OpenLedger.Client.Agents;

/// <summary>
/// Signs each attempt of a request on its way out. It sits inside <see cref="AgentRetryHandler"/>, so that a retry
/// carries a fresh nonce and time instead of one the grid would refuse as replayed.
/// </summary>
internal sealed class AgentSigningHandler(AgentRequestSigner signer, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await signer.SignAsync(request, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
