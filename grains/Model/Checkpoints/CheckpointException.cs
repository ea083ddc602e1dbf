namespace OpenLedger.Model.Checkpoints;

/// <summary>
/// A checkpoint or adapter that cannot be used as it is: malformed or truncated safetensors, an unknown dtype, or a
/// config that does not match the tensors. Nothing is loaded when this is thrown.
/// </summary>
public sealed class CheckpointException(string source, string problem, string remedy)
    : Exception($"{source}: {problem}. {remedy}")
{
    /// <summary>The file or folder at fault.</summary>
    public string Location { get; } = source;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}
