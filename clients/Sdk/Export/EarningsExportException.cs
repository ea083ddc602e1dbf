namespace OpenLedger.Client.Export;

/// <summary>
/// An earnings table could not be read or written: the Flight endpoint is unreachable, refused a row it cannot carry
/// exactly (<c>wei_not_representable</c>), or failed. The message is the endpoint's own where it gave one.
/// </summary>
public sealed class EarningsExportException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A stable snake_case code, e.g. <c>flight_unavailable</c> or <c>wei_not_representable</c>.</summary>
    public string Code { get; } = code;
}
