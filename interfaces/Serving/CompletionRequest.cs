namespace OpenLedger.Serving;

/// <summary>
/// One completion to generate: the prompt and how to sample it, as OpenAI's completions API names them. Temperature 0
/// is greedy. <see cref="TimeoutMs"/> is the request's deadline: whatever has not finished by then ends with an error.
/// With <see cref="AttributeSync"/> the last chunk waits for the answer's attribution and carries it; otherwise
/// attribution runs after the answer, queued.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.CompletionRequest")]
public sealed record CompletionRequest(
    [property: Id(0)] string Prompt,
    [property: Id(1)] int MaxTokens = 64,
    [property: Id(2)] double Temperature = 0,
    [property: Id(3)] double TopP = 1,
    [property: Id(4)] long Seed = 0,
    [property: Id(5)] IReadOnlyList<string>? Stop = null,
    [property: Id(6)] int? TimeoutMs = null,
    [property: Id(7)] bool AttributeSync = false)
{
    /// <summary>
    /// The agent paying for the call (a 0x address), set by the grid's HTTP API from the agent key; null for a call
    /// nobody is charged for (an operator's own client). A paid call holds its largest possible fee before it runs.
    /// </summary>
    [Id(8)] public string? Agent { get; init; }

    /// <summary>
    /// The most tokens the call can use: a byte-level tokenizer never makes more tokens than bytes (plus a start
    /// token), plus what it may generate. The largest possible fee and the token rate limit both start from it.
    /// </summary>
    public int TokenBound => System.Text.Encoding.UTF8.GetByteCount(Prompt) + 1 + MaxTokens;
}

/// <summary>
/// A streamed piece of a completion. The last piece carries <see cref="FinishReason"/> (stop or length) and the
/// final token counts, the inference id attribution is recorded under and, when asked for synchronously, the
/// attribution itself; earlier pieces carry null.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.CompletionChunk")]
public sealed record CompletionChunk(
    [property: Id(0)] string Text,
    [property: Id(1)] string? FinishReason,
    [property: Id(2)] int PromptTokens,
    [property: Id(3)] int CompletionTokens,
    [property: Id(4)] string? InferenceId = null,
    [property: Id(5)] Attribution.AttributionRecord? Attribution = null);
