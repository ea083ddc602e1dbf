namespace OpenLedger.Errors;

/// <summary>No inference with this id has been served or recorded.</summary>
[GenerateSerializer, Alias("OpenLedger.UnknownInferenceException")]
public sealed class UnknownInferenceException(string inferenceId)
    : OpenLedgerException($"No inference '{inferenceId}' is recorded. Inference ids come back with every completion (the 'id' field, or X-OpenLedger-Inference).")
{
    /// <summary>The id asked for.</summary>
    [Id(0)] public string InferenceId { get; } = inferenceId;

    /// <inheritdoc />
    public override string Code => "inference_not_found";
}

/// <summary>A model's attribution index (gradients, spans) is missing or damaged, so its inferences cannot be attributed.</summary>
[GenerateSerializer, Alias("OpenLedger.AttributionIndexException")]
public sealed class AttributionIndexException(string modelId, string problem)
    : OpenLedgerException($"The attribution index of model '{modelId}' cannot be used: {problem}")
{
    /// <summary>The model.</summary>
    [Id(0)] public string ModelId { get; } = modelId;

    /// <inheritdoc />
    public override string Code => "attribution_index_unavailable";
}
