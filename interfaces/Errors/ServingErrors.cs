namespace OpenLedger.Errors;

/// <summary>No adapter is deployed under this id.</summary>
[GenerateSerializer, Alias("OpenLedger.UnknownAdapterException")]
public sealed class UnknownAdapterException(string adapterId)
    : OpenLedgerException($"No adapter '{adapterId}' is deployed. List them with `openledger adapter list` or GET /v1/models; deploy with `openledger adapter deploy`.")
{
    /// <summary>The id asked for.</summary>
    [Id(0)] public string AdapterId { get; } = adapterId;

    /// <inheritdoc />
    public override string Code => "model_not_found";
}

/// <summary>A generation request that can never run as given; <see cref="Parameter"/> names the field at fault.</summary>
[GenerateSerializer, Alias("OpenLedger.InvalidCompletionException")]
public sealed class InvalidCompletionException(string parameter, string code, string message) : OpenLedgerException(message)
{
    /// <summary>The field (prompt, max_tokens, temperature, top_p, stop, messages, model).</summary>
    [Id(0)] public string Parameter { get; } = parameter;

    /// <summary>invalid_value or context_length_exceeded.</summary>
    [Id(1)] public string ErrorCode { get; } = code;

    /// <inheritdoc />
    public override string Code => ErrorCode;
}

/// <summary>An adapter cannot be deployed: it does not fit the base model or the serving devices.</summary>
[GenerateSerializer, Alias("OpenLedger.InvalidAdapterException")]
public sealed class InvalidAdapterException(string adapterId, string problem)
    : OpenLedgerException($"Adapter '{adapterId}' cannot be deployed: {problem}")
{
    /// <summary>The adapter.</summary>
    [Id(0)] public string AdapterId { get; } = adapterId;

    /// <inheritdoc />
    public override string Code => "invalid_adapter";
}

/// <summary>A request's deadline passed before it finished.</summary>
[GenerateSerializer, Alias("OpenLedger.CompletionTimeoutException")]
public sealed class CompletionTimeoutException(string message) : OpenLedgerException(message)
{
    /// <inheritdoc />
    public override string Code => "timeout";
}

/// <summary>
/// The silo already holds as many inference requests as it is set to (<c>OpenLedger:Serving:MaxQueuedRequests</c>):
/// this one was refused before any work, is not charged and left no state, and can be sent again after
/// <see cref="RetryAfterSeconds"/>.
/// </summary>
[GenerateSerializer, Alias("OpenLedger.ServingOverloadedException")]
public sealed class ServingOverloadedException(int bound, double retryAfterSeconds)
    : OpenLedgerException($"The grid is serving its limit of {bound} requests on this silo; this request was not started and not charged. " +
        $"Send it again after {retryAfterSeconds:0.#} s, or spread requests over more silos.")
{
    /// <summary>How many inference requests the silo holds at once.</summary>
    [Id(0)] public int Bound { get; } = bound;

    /// <summary>When trying again can succeed.</summary>
    [Id(1)] public double RetryAfterSeconds { get; } = retryAfterSeconds;

    /// <inheritdoc />
    public override string Code => "server_overloaded";
}
