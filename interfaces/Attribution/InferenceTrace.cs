namespace OpenLedger.Attribution;

/// <summary>
/// What attribution needs to know about one served inference: which adapter and published model answered, the
/// prompt and the text it generated. Recorded when the answer finishes.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.InferenceTrace")]
public sealed record InferenceTrace(
    [property: Id(0)] string InferenceId,
    [property: Id(1)] string AdapterId,
    [property: Id(2)] string ModelId,
    [property: Id(3)] string BaseModel,
    [property: Id(4)] string Prompt,
    [property: Id(5)] string Output,
    [property: Id(6)] int PromptTokens,
    [property: Id(7)] int CompletionTokens,
    [property: Id(8)] DateTimeOffset At)
{
    /// <summary>The paying agent's 0x address, or null for a call nobody is charged for.</summary>
    [Id(9)] public string? Agent { get; init; }
}
