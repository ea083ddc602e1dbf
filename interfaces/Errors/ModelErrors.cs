namespace OpenLedger.Errors;

/// <summary>No base model has this name.</summary>
[GenerateSerializer, Alias("OpenLedger.UnknownBaseModelException")]
public sealed class UnknownBaseModelException(string name)
    : OpenLedgerException($"There is no base model '{name}'. List them with `openledger model base list`, or make one with `openledger model base create`.")
{
    /// <summary>The name asked for.</summary>
    [Id(0)] public string Name { get; } = name;

    /// <inheritdoc />
    public override string Code => "unknown_base_model";
}

/// <summary>No model has this id (or it is still training).</summary>
[GenerateSerializer, Alias("OpenLedger.UnknownModelException")]
public sealed class UnknownModelException(string modelId)
    : OpenLedgerException($"There is no published model '{modelId}'. List them with `openledger model list`.")
{
    /// <summary>The id asked for.</summary>
    [Id(0)] public string ModelId { get; } = modelId;

    /// <inheritdoc />
    public override string Code => "unknown_model";
}

/// <summary>A model or base model name is already taken.</summary>
[GenerateSerializer, Alias("OpenLedger.ModelExistsException")]
public sealed class ModelExistsException(string name, string holder)
    : OpenLedgerException($"The name '{name}' is already taken ({holder}). Choose another name.")
{
    /// <summary>The taken name.</summary>
    [Id(0)] public string Name { get; } = name;

    /// <summary>Who or what holds it.</summary>
    [Id(1)] public string Holder { get; } = holder;

    /// <inheritdoc />
    public override string Code => "model_exists";
}

/// <summary>A checkpoint or adapter cannot be used: malformed safetensors, unknown dtype, config not matching tensors.</summary>
[GenerateSerializer, Alias("OpenLedger.InvalidCheckpointException")]
public sealed class InvalidCheckpointException(string file, string problem)
    : OpenLedgerException($"{file}: {problem}")
{
    /// <summary>The file at fault.</summary>
    [Id(0)] public string File { get; } = file;

    /// <summary>What is wrong, and what to do.</summary>
    [Id(1)] public string Problem { get; } = problem;

    /// <inheritdoc />
    public override string Code => "invalid_checkpoint";
}

/// <summary>An import's chunks do not add up to the announced files, or arrive out of turn.</summary>
[GenerateSerializer, Alias("OpenLedger.ImportIncompleteException")]
public sealed class ImportIncompleteException(string name, string problem)
    : OpenLedgerException($"Import of '{name}': {problem}")
{
    /// <summary>The base model being imported.</summary>
    [Id(0)] public string Name { get; } = name;

    /// <summary>What is missing or wrong.</summary>
    [Id(1)] public string Problem { get; } = problem;

    /// <inheritdoc />
    public override string Code => "import_incomplete";
}

/// <summary>A training job request is not acceptable.</summary>
[GenerateSerializer, Alias("OpenLedger.InvalidTrainingJobException")]
public sealed class InvalidTrainingJobException(string field, string problem)
    : OpenLedgerException($"Training job field '{field}' is invalid: {problem}")
{
    /// <summary>The field at fault.</summary>
    [Id(0)] public string Field { get; } = field;

    /// <summary>What is wrong with it.</summary>
    [Id(1)] public string Problem { get; } = problem;

    /// <inheritdoc />
    public override string Code => "invalid_training_job";
}

/// <summary>A job id was used for a different request.</summary>
[GenerateSerializer, Alias("OpenLedger.TrainingJobExistsException")]
public sealed class TrainingJobExistsException(string jobId)
    : OpenLedgerException($"Training job '{jobId}' already exists with another request. Use a new job id, or watch it with `openledger train status {jobId}`.")
{
    /// <summary>The job id.</summary>
    [Id(0)] public string JobId { get; } = jobId;

    /// <inheritdoc />
    public override string Code => "training_job_exists";
}

/// <summary>No training job has this id.</summary>
[GenerateSerializer, Alias("OpenLedger.UnknownTrainingJobException")]
public sealed class UnknownTrainingJobException(string jobId)
    : OpenLedgerException($"There is no training job '{jobId}'. Start one with `openledger train`.")
{
    /// <summary>The job id.</summary>
    [Id(0)] public string JobId { get; } = jobId;

    /// <inheritdoc />
    public override string Code => "unknown_training_job";
}

/// <summary>Only the model's owner may do this.</summary>
[GenerateSerializer, Alias("OpenLedger.NotModelOwnerException")]
public sealed class NotModelOwnerException(string address, string modelId)
    : OpenLedgerException($"{address} does not own model '{modelId}'; sign with the owner's key.")
{
    /// <summary>The caller's address.</summary>
    [Id(0)] public string Address { get; } = address;

    /// <summary>The model.</summary>
    [Id(1)] public string ModelId { get; } = modelId;

    /// <inheritdoc />
    public override string Code => "not_model_owner";
}
