using OpenLedger.Errors;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// The key check and error handling the grid's dashboard routes share: reads take any key the API accepts (operator or
/// agent, counted against an agent's request rate, as <c>/v1/models</c> is); changes take an operator key only, since
/// they spend the grid's compute and act with the silo's model-owner key. Errors the grid raised on purpose come back
/// in OpenAI's shape; anything else is a server error that names nothing internal.
/// </summary>
public static class GridAccess
{
    /// <summary>Runs <paramref name="action"/> for a caller with any accepted key.</summary>
    public static async Task<IResult> ReadAsync(HttpContext http, AgentCredentials agents, Func<Task<IResult>> action)
    {
        var pass = await agents.AdmitReadAsync(http);
        return pass.Refusal is { } refusal ? refusal.ToResult() : await GuardedAsync(http, action);
    }

    /// <summary>Runs <paramref name="action"/> for a caller holding an operator key; agents get 403 <c>operator_key_required</c>.</summary>
    public static async Task<IResult> OperateAsync(HttpContext http, AgentCredentials agents, Func<Task<IResult>> action)
    {
        var pass = await agents.AdmitReadAsync(http);
        if (pass.Refusal is { } refusal)
        {
            return refusal.ToResult();
        }
        if (pass.Agent is not null)
        {
            return new OpenAiError(StatusCodes.Status403Forbidden,
                "This route changes the grid and needs an operator key (OpenLedger:Agents:Keys); agent keys may only read.",
                "permission_error", null, "operator_key_required").ToResult();
        }
        return await GuardedAsync(http, action);
    }

    private static async Task<IResult> GuardedAsync(HttpContext http, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (OpenLedgerException ex) when ((GridErrors.From(ex) ?? OpenAiError.From(ex)) is { } error)
        {
            return error.ToResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not BadHttpRequestException)
        {
            var log = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OpenLedger.Silo.Grid");
            var id = http.TraceIdentifier;
            log.LogError(ex, "Request {Id} to {Path} failed", id, http.Request.Path);
            return OpenAiError.Server(id).ToResult();
        }
    }
}
