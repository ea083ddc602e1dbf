namespace OpenLedger.Errors;

/// <summary>
/// The base of every error the grid reports on purpose. <see cref="Code"/> is stable for scripts; the message says
/// what was wrong and what to do next. Nothing is changed by a call that fails with one of these.
/// </summary>
[GenerateSerializer, Alias("OpenLedger.OpenLedgerException")]
public abstract class OpenLedgerException : Exception
{
    /// <summary>Creates an error with a message for people.</summary>
    protected OpenLedgerException(string message) : base(message)
    {
    }

    /// <summary>A stable snake_case error code, e.g. <c>duplicate_payload</c>.</summary>
    public abstract string Code { get; }
}
