namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// Requests the server refuses before a route's own code runs, answered in the API's error shape like every other
/// refusal: a query or route value that does not convert to its parameter's type (a 400 naming the parameter), a body
/// past the size limit (413), and a path under <c>/v1</c> that no route serves (404). Without this, ASP.NET answers
/// them with an empty body.
/// </summary>
public static class RequestErrors
{
    /// <summary>Answers binding failures (thrown, as the silo's host configures) and oversized bodies in JSON.</summary>
    public static WebApplication UseRequestErrors(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
            {
                await Refusal(ex).ToResult().ExecuteAsync(http);
            }
        });
        return app;
    }

    /// <summary>Answers every path under <c>/v1</c> that no route serves with a 404 that says so.</summary>
    public static WebApplication MapUnknownRoutes(this WebApplication app)
    {
        app.MapFallback("/v1/{**path}", (HttpContext http) => new OpenAiError(StatusCodes.Status404NotFound,
            $"No route serves {http.Request.Method} {http.Request.Path}. GET /v1/grid/routes lists the routes the silo serves.",
            "invalid_request_error", null, "unknown_route").ToResult()).ExcludeFromDescription().WithMetadata(new UnknownRouteAnswer());
        return app;
    }

    /// <summary>Marks the answer to unknown paths, which serves nothing and so is no route of the route table.</summary>
    public sealed class UnknownRouteAnswer;

    private static OpenAiError Refusal(BadHttpRequestException ex) => ex.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => new OpenAiError(StatusCodes.Status413PayloadTooLarge,
            $"The request body is too large ({ex.Message.TrimEnd('.')}). Send a smaller body.", "invalid_request_error", null, "body_too_large"),
        // Binding failures read 'Failed to bind parameter "int? limit" from "abc".': the parameter and the value sent.
        _ => new OpenAiError(ex.StatusCode is >= 400 and < 500 ? ex.StatusCode : StatusCodes.Status400BadRequest,
            $"{ex.Message.TrimEnd('.')}. Send a value of the parameter's type.", "invalid_request_error", null, "invalid_parameter"),
    };
}
