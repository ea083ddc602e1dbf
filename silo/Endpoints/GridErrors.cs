using OpenLedger.Errors;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// The HTTP form of errors the dashboard's routes meet that the agents' table (<see cref="ApiErrorShape"/>) leaves as
/// server errors: training requests, Datanets, models and epochs asked for by name. Each keeps the grid's own code and
/// names the request field at fault.
/// </summary>
public static class GridErrors
{
    /// <summary>The error for <paramref name="error"/>, or null to fall back to <see cref="OpenAiError.From"/>.</summary>
    public static OpenAiError? From(Exception error) => error switch
    {
        InvalidTrainingJobException invalid => Invalid(error, invalid.Field switch
        {
            "settings" => "hyperparameters",
            "snapshots" => "datanets",
            var field => field,
        }),
        InvalidRequestException invalid => Invalid(error, invalid.Field == "model" ? "model_id" : invalid.Field),
        InvalidSignatureException => Invalid(error, "signature"),
        SnapshotUnavailableException => Invalid(error, "datanets"),
        InvalidAdapterException => Invalid(error, "adapter_id"),
        UnknownBaseModelException => Missing(error, "base_model"),
        UnknownDatanetException => Missing(error, "datanets"),
        UnknownModelException => Missing(error, null),
        UnknownTrainingJobException => Missing(error, null),
        UnknownEpochException => Missing(error, null),
        TrainingJobExistsException => Conflict(error, "job_id"),
        ModelExistsException => Conflict(error, "model_id"),
        NotModelOwnerException => new(StatusCodes.Status403Forbidden, error.Message, "permission_error", null, ((OpenLedgerException)error).Code),
        _ => null,
    };

    private static OpenAiError Invalid(Exception error, string? param) =>
        new(StatusCodes.Status400BadRequest, error.Message, "invalid_request_error", param, ((OpenLedgerException)error).Code);

    private static OpenAiError Missing(Exception error, string? param) =>
        new(StatusCodes.Status404NotFound, error.Message, "invalid_request_error", param, ((OpenLedgerException)error).Code);

    private static OpenAiError Conflict(Exception error, string? param) =>
        new(StatusCodes.Status409Conflict, error.Message, "invalid_request_error", param, ((OpenLedgerException)error).Code);
}
