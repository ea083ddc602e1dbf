using System.Globalization;

namespace OpenLedger.Models;

/// <summary>One Datanet snapshot a job trains on.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.SnapshotRef")]
public sealed record SnapshotRef(
    [property: Id(0)] string DatanetId,
    [property: Id(1)] int Snapshot);

/// <summary>Training and LoRA settings; the defaults suit the grid's small base models.</summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.FineTuneSettings")]
public sealed record FineTuneSettings(
    [property: Id(0)] int Epochs = 3,
    [property: Id(1)] double LearningRate = 2e-3,
    [property: Id(2)] int BatchSize = 8,
    [property: Id(3)] int SequenceLength = 128,
    [property: Id(4)] long Seed = 42,
    [property: Id(5)] int LoraRank = 8,
    [property: Id(6)] double LoraAlpha = 16,
    [property: Id(7)] double LoraDropout = 0.05,
    [property: Id(8)] IReadOnlyList<string>? TargetModules = null,
    [property: Id(9)] int CheckpointEvery = 20,
    [property: Id(10)] double ValidationFraction = 0.1);

/// <summary>
/// A fine-tuning job: train a LoRA adapter on <see cref="BaseModel"/> with <see cref="Snapshots"/> and publish it as
/// model <see cref="ModelId"/> owned by <see cref="Owner"/>, who signs the request (EIP-191 over
/// <c>TrainingDigest(jobId, CanonicalText())</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("OpenLedger.TrainingJobSpec")]
public sealed record TrainingJobSpec(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string Owner,
    [property: Id(2)] string BaseModel,
    [property: Id(3)] IReadOnlyList<SnapshotRef> Snapshots,
    [property: Id(4)] FineTuneSettings Settings,
    [property: Id(5)] string Signature)
{
    /// <summary>The text the owner's signature covers: every field but the signature, in a fixed format.</summary>
    public string CanonicalText()
    {
        var s = Settings;
        var targets = string.Join(",", s.TargetModules ?? []);
        var snapshots = string.Join(",", Snapshots.Select(x => $"{x.DatanetId}@{x.Snapshot}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"model={ModelId};owner={Owner};base={BaseModel};snapshots={snapshots};epochs={s.Epochs};lr={s.LearningRate:R};batch={s.BatchSize};" +
            $"seq={s.SequenceLength};seed={s.Seed};r={s.LoraRank};alpha={s.LoraAlpha:R};dropout={s.LoraDropout:R};targets={targets};" +
            $"checkpoint={s.CheckpointEvery};validation={s.ValidationFraction:R}");
    }
}
