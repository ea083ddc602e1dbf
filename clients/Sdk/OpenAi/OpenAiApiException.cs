namespace OpenLedger.Client.OpenAi;

/// <summary>
/// An error the OpenAI-compatible API answered with: its <c>error</c> object and the HTTP status (200 when the error
/// arrived as an event after the stream had started). The grid's agent refusals arrive as its subclasses in
/// <see cref="Agents.AgentApiException"/>'s family, so a handler of this type still sees them all.
/// </summary>
public class OpenAiApiException(int status, string type, string? code, string? param, string message) : Exception(message)
{
    /// <summary>The HTTP status of the response.</summary>
    public int Status { get; } = status;

    /// <summary>The error's type, e.g. <c>invalid_request_error</c>.</summary>
    public string Type { get; } = type;

    /// <summary>The grid's stable error code, e.g. <c>model_not_found</c>, when the error has one.</summary>
    public string? Code { get; } = code;

    /// <summary>The request field at fault, e.g. <c>max_tokens</c>, when the error names one.</summary>
    public string? Param { get; } = param;
}
