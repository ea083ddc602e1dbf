namespace OpenLedger.Cli;

/// <summary>A problem with the command line itself (a missing key, a bad option), reported without a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
