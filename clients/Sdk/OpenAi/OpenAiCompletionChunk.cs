using OpenLedger.Attribution;

namespace OpenLedger.Client.OpenAi;

/// <summary>
/// A piece of a completion or chat reply (a non-streamed request answers with one piece holding the whole text). The
/// last piece carries <see cref="FinishReason"/> (stop or length); <see cref="Usage"/> comes with the last piece.
/// <see cref="Id"/> is the response's id: once an adapter's answer has finished, the inference id its attribution is
/// recorded under; <see cref="Attribution"/> is the attribution itself when it was asked for synchronously.
/// </summary>
public sealed record OpenAiCompletionChunk(string Text, string? FinishReason, OpenAiUsage? Usage, string? Id = null, AttributionRecord? Attribution = null)
{
    /// <summary>
    /// The inference id attribution is recorded under (<c>inf-…</c>), or null: on the pieces of a stream before its
    /// last, and on a base model's answer, which is not attributed.
    /// </summary>
    public string? InferenceId => Id is not null && Id.StartsWith(AttributionClient.InferenceIdPrefix, StringComparison.Ordinal) ? Id : null;
}
