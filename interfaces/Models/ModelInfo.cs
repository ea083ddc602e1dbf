namespace OpenLedger.Models;

/// <summary>How well the adapter does: losses are mean next-token cross-entropy in nats, perplexity is exp(loss).</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ModelMetrics")]
public sealed record ModelMetrics(
    [property: Id(0)] double TrainLoss,
    [property: Id(1)] double ValidationLoss,
    [property: Id(2)] double ValidationPerplexity,
    [property: Id(3)] double BaseValidationLoss,
    [property: Id(4)] double BaseValidationPerplexity,
    [property: Id(5)] int TrainingExamples,
    [property: Id(6)] int ValidationExamples,
    [property: Id(7)] long Steps,
    [property: Id(8)] double TokensPerSecond);

/// <summary>One training snapshot with the Merkle root that commits to its contributions.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SnapshotProvenance")]
public sealed record SnapshotProvenance(
    [property: Id(0)] string DatanetId,
    [property: Id(1)] int Snapshot,
    [property: Id(2)] string Root,
    [property: Id(3)] int Contributions);

/// <summary>What the training job hands the model grain when it finishes.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ModelPublication")]
public sealed record ModelPublication(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Owner,
    [property: Id(2)] string BaseModel,
    [property: Id(3)] string BaseModelHash,
    [property: Id(4)] IReadOnlyList<SnapshotProvenance> Snapshots,
    [property: Id(5)] FineTuneSettings Settings,
    [property: Id(6)] string AdapterHash,
    [property: Id(7)] string AdapterUri,
    [property: Id(8)] string ExamplesUri,
    [property: Id(9)] ModelMetrics Metrics);

/// <summary>A published model: an adapter on a base model, with its full provenance and price.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.ModelInfo")]
public sealed record ModelInfo(
    [property: Id(0)] string ModelId,
    [property: Id(1)] ModelPublication Publication,
    [property: Id(2)] string PricePerThousandTokensWei,
    [property: Id(3)] DateTimeOffset PublishedAt,
    [property: Id(4)] DateTimeOffset? PriceSetAt);

/// <summary>
/// The owner's signed price for 1,000 tokens, in wei of OPEN (a decimal integer), with a fresh nonce; signed
/// EIP-191 over <c>PriceDigest(modelId, price, nonce)</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SignedPrice")]
public sealed record SignedPrice(
    [property: Id(0)] string PricePerThousandTokensWei,
    [property: Id(1)] string Nonce,
    [property: Id(2)] string Signature);
