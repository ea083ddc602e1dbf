using Azure.Core;
using Azure.Core.Pipeline;
using OpenLedger.Grains.Diagnostics;

namespace OpenLedger.Grains.Storage;

/// <summary>
/// Counts failed Blob and Table operations in <see cref="StorageMetrics"/>. It sits once per call, outside the SDK's
/// retries, so an operation that succeeded on a retry is not a failure. Not-found, conflict and precondition answers
/// are not failures: the stores ask storage exactly those questions (does it exist, was it written first, is the ETag
/// still ours). Failures are transport errors and timeouts, server errors, throttling that outlasted the retries, and
/// refused credentials.
/// </summary>
/// <param name="store">The store of a request, from its URI (one of <see cref="StorageMetrics.Stores"/>, or "other").</param>
public sealed class StorageErrorPolicy(Func<Uri, string> store) : HttpPipelinePolicy
{
    /// <summary>A policy for a Blob service client: the store is the container a request names.</summary>
    public static StorageErrorPolicy ForBlobs() => new(uri =>
        uri.Segments.Select(s => s.Trim('/')).FirstOrDefault(s => StorageMetrics.Stores.Contains(s)) ?? StorageMetrics.Other);

    /// <summary>A policy for a Table service client whose every table is <paramref name="table"/>.</summary>
    public static StorageErrorPolicy ForTable(string table) => new(_ => table);

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception) when (!message.CancellationToken.IsCancellationRequested)
        {
            Count(message);
            throw;
        }
        Check(message);
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        catch (Exception) when (!message.CancellationToken.IsCancellationRequested)
        {
            Count(message);
            throw;
        }
        Check(message);
    }

    /// <summary>Whether an answer with <paramref name="status"/> means the operation failed.</summary>
    public static bool IsFailure(int status) => status >= 500 || status is 401 or 403 or 408 or 429;

    private void Check(HttpMessage message)
    {
        if (message.HasResponse && IsFailure(message.Response.Status))
        {
            Count(message);
        }
    }

    private void Count(HttpMessage message) => StorageMetrics.Failed(store(message.Request.Uri.ToUri()), Operation(message.Request.Method));

    private static string Operation(RequestMethod method) =>
        method == RequestMethod.Get || method == RequestMethod.Head ? "read"
        : method == RequestMethod.Delete ? "delete"
        : "write";
}
