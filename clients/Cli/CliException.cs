namespace OpenLedger.Cli;

/// <summary>A problem with the command line itself (a missing key, a bad option), reported without a stack trace.</summary>
/// <param name="message">What was wrong and what to do next.</param>
/// <param name="code">The stable error code scripts see with --json (default <c>usage</c>).</param>
public sealed class CliException(string message, string code = "usage") : Exception(message)
{
    /// <summary>The stable snake_case error code.</summary>
    public string Code { get; } = code;
}
