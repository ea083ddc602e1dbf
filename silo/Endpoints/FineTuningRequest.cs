using System.Globalization;
using System.Text.Json;
using OpenLedger.Models;

namespace OpenLedger.Silo.Endpoints;

/// <summary>A Datanet named by a fine-tuning request, at a snapshot or (null) its latest one.</summary>
public sealed record DatanetChoice(string DatanetId, int? Snapshot);

/// <summary>
/// A parsed <c>POST /v1/fine_tuning/jobs</c> body: <c>base_model</c>, <c>model_id</c> (the id to publish under),
/// <c>datanets</c> (<c>"DATANET"</c> for its latest snapshot or <c>"DATANET@N"</c>), optional <c>hyperparameters</c>
/// (<see cref="FineTuneSettings"/> in snake_case; unknown names are refused), optional <c>job_id</c>, and optionally
/// <c>owner</c> with <c>signature</c> for a request the owner signed (EIP-191 over <c>TrainingDigest(job_id, canonical
/// text)</c>, which needs <c>job_id</c> and every Datanet at an explicit snapshot); without them the silo's model-owner key signs.
/// </summary>
public sealed record FineTuningRequest(string BaseModel, string ModelId, IReadOnlyList<DatanetChoice> Datanets, FineTuneSettings Settings,
    string? JobId, string? Owner, string? Signature)
{
    private static readonly string[] _fields = ["base_model", "model_id", "datanets", "hyperparameters", "job_id", "owner", "signature"];
    private static readonly string[] _hyperparameters =
    [
        "epochs", "learning_rate", "batch_size", "sequence_length", "seed", "lora_rank", "lora_alpha", "lora_dropout", "target_modules",
        "checkpoint_every", "validation_fraction",
    ];

    /// <summary>Parses the body, or throws <see cref="JsonBodyException"/> naming the field at fault.</summary>
    public static FineTuningRequest Parse(JsonElement root)
    {
        JsonBody.OnlyKnown(root, "", _fields);
        var baseModel = JsonBody.String(root, "base_model")
            ?? throw new JsonBodyException("base_model", "base_model is required: the base model to fine-tune (GET /v1/grid/base_models lists them).");
        var modelId = JsonBody.String(root, "model_id")
            ?? throw new JsonBodyException("model_id", "model_id is required: the id to publish the fine-tuned model under (lower-case letters, digits, '.', '_' or '-').");
        var datanets = JsonBody.Strings(root, "datanets");
        if (datanets is null || datanets.Count == 0)
        {
            throw new JsonBodyException("datanets", "datanets is required: one or more \"DATANET\" (its latest snapshot) or \"DATANET@N\".");
        }
        var owner = JsonBody.String(root, "owner");
        var signature = JsonBody.String(root, "signature");
        var jobId = JsonBody.String(root, "job_id");
        var choices = datanets.Select(Choice).ToList();
        if ((owner is null) != (signature is null))
        {
            throw new JsonBodyException(owner is null ? "owner" : "signature", "owner and signature go together: send both for a request the owner signed, or neither to have the silo's key sign.");
        }
        if (signature is not null && (jobId is null || choices.Any(c => c.Snapshot is null)))
        {
            throw new JsonBodyException(jobId is null ? "job_id" : "datanets", "A signed request covers the job id and each snapshot: send job_id and every Datanet as DATANET@N.");
        }
        return new FineTuningRequest(baseModel, modelId, choices, Hyperparameters(root), jobId, owner, signature);
    }

    private static DatanetChoice Choice(string text)
    {
        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            return new DatanetChoice(text, null);
        }
        if (at == 0 || !int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var snapshot))
        {
            throw new JsonBodyException("datanets", $"'{text}' is not DATANET or DATANET@N (N a snapshot number).");
        }
        return new DatanetChoice(text[..at], snapshot);
    }

    // Defaults are FineTuneSettings' own, so a job launched here trains like `openledger train` with the same options.
    private static FineTuneSettings Hyperparameters(JsonElement root)
    {
        var defaults = new FineTuneSettings();
        if (!root.TryGetProperty("hyperparameters", out var h) || h.ValueKind == JsonValueKind.Null)
        {
            return defaults;
        }
        if (h.ValueKind != JsonValueKind.Object)
        {
            throw new JsonBodyException("hyperparameters", "hyperparameters must be an object.");
        }
        const string prefix = "hyperparameters.";
        JsonBody.OnlyKnown(h, prefix, _hyperparameters);
        return new FineTuneSettings(
            Int(h, "epochs") ?? defaults.Epochs,
            JsonBody.Number(h, "learning_rate", prefix) ?? defaults.LearningRate,
            Int(h, "batch_size") ?? defaults.BatchSize,
            Int(h, "sequence_length") ?? defaults.SequenceLength,
            JsonBody.Integer(h, "seed", prefix) ?? defaults.Seed,
            Int(h, "lora_rank") ?? defaults.LoraRank,
            JsonBody.Number(h, "lora_alpha", prefix) ?? defaults.LoraAlpha,
            JsonBody.Number(h, "lora_dropout", prefix) ?? defaults.LoraDropout,
            JsonBody.Strings(h, "target_modules", prefix) ?? defaults.TargetModules,
            Int(h, "checkpoint_every") ?? defaults.CheckpointEvery,
            JsonBody.Number(h, "validation_fraction", prefix) ?? defaults.ValidationFraction);

        static int? Int(JsonElement h, string name) => JsonBody.Integer(h, name, prefix) switch
        {
            null => null,
            long v when v is >= int.MinValue and <= int.MaxValue => (int)v,
            _ => throw new JsonBodyException(prefix + name, $"{prefix}{name} is out of range."),
        };
    }
}
