using System.Globalization;
using System.Numerics;
using OpenLedger.Datanets;
using OpenLedger.Errors;
using OpenLedger.Grains.Models;
using OpenLedger.Grains.Serving;
using OpenLedger.Models;
using OpenLedger.Serving;
using OpenLedger.Silo.ModelFactory;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// ModelFactory over HTTP, shaped like OpenAI's fine-tuning API: <c>POST /v1/fine_tuning/jobs</c> starts a LoRA
/// fine-tune (see <see cref="FineTuningRequest"/>), <c>GET /v1/fine_tuning/jobs/{id}</c> reports progress with the loss
/// curve, <c>POST /v1/fine_tuning/jobs/{id}/cancel</c> stops it between steps, and
/// <c>POST /v1/fine_tuning/jobs/{id}/publish</c> deploys the finished model's adapter for serving (optionally
/// <c>adapter_id</c>, <c>pinned</c>, and <c>price_per_1k_tokens_wei</c> signed by the silo's owner key). The job publishes
/// its model and provenance itself when it completes; publishing here puts it behind <c>/v1/completions</c>. Reading
/// takes any accepted key; everything else an operator key.
/// </summary>
public static class FineTuningEndpoints
{
    private const string Jobs = "/v1/fine_tuning/jobs";

    /// <summary>Maps the routes.</summary>
    public static WebApplication MapFineTuning(this WebApplication app)
    {
        app.MapPost(Jobs, (HttpContext http, AgentCredentials agents, IGrainFactory grains, ModelOwnerKey owner) =>
            GridAccess.OperateAsync(http, agents, async () =>
            {
                var (document, invalid) = await JsonBody.ReadObjectAsync(http.Request);
                if (document is null)
                {
                    return invalid!.ToResult();
                }
                FineTuningRequest request;
                using (document)
                {
                    try
                    {
                        request = FineTuningRequest.Parse(document.RootElement);
                    }
                    catch (JsonBodyException ex)
                    {
                        return ex.ToError().ToResult();
                    }
                }
                var jobId = request.JobId ?? "ftjob-" + Guid.NewGuid().ToString("N")[..16];
                ModelNames.Check("job_id", jobId);
                // Names are checked before any grain is asked, since a grain's storage refuses keys past its limits.
                ModelNames.Check("base_model", request.BaseModel);
                ModelNames.Check("model_id", request.ModelId);
                var snapshots = new List<SnapshotRef>();
                foreach (var choice in request.Datanets)
                {
                    OpenLedger.Grains.Datanets.DatanetSpecRules.CheckId("datanets", choice.DatanetId);
                    snapshots.Add(new SnapshotRef(choice.DatanetId, choice.Snapshot ?? await LatestSnapshotAsync(grains, choice.DatanetId)));
                }
                var spec = new TrainingJobSpec(request.ModelId, request.Owner ?? "", request.BaseModel, snapshots, request.Settings, request.Signature ?? "");
                var signed = request.Signature is null ? owner.SignTraining(jobId, spec) : spec;
                var status = await grains.GetGrain<ITrainingJobGrain>(jobId).Start(signed);
                return GridJson.Write(GridViews.Job(status), StatusCodes.Status201Created);
            }));

        app.MapGet(Jobs + "/{id}", (string id, HttpContext http, AgentCredentials agents, IGrainFactory grains) =>
            GridAccess.ReadAsync(http, agents, async () =>
            {
                ModelNames.Check("job_id", id);
                return GridJson.Write(GridViews.Job(await grains.GetGrain<ITrainingJobGrain>(id).GetStatus()));
            }));

        app.MapPost(Jobs + "/{id}/cancel", (string id, HttpContext http, AgentCredentials agents, IGrainFactory grains) =>
            GridAccess.OperateAsync(http, agents, async () =>
            {
                ModelNames.Check("job_id", id);
                return GridJson.Write(GridViews.Job(await grains.GetGrain<ITrainingJobGrain>(id).Cancel()));
            }));

        app.MapPost(Jobs + "/{id}/publish", (string id, HttpContext http, AgentCredentials agents, IGrainFactory grains, ModelOwnerKey owner) =>
            GridAccess.OperateAsync(http, agents, () => PublishAsync(id, http, grains, owner)));
        return app;
    }

    private static async Task<IResult> PublishAsync(string id, HttpContext http, IGrainFactory grains, ModelOwnerKey owner)
    {
        ModelNames.Check("job_id", id);
        var (document, invalid) = await JsonBody.ReadObjectAsync(http.Request, emptyIsObject: true);
        if (document is null)
        {
            return invalid!.ToResult();
        }
        string? adapterId, priceText;
        bool pinned;
        using (document)
        {
            try
            {
                JsonBody.OnlyKnown(document.RootElement, "", "adapter_id", "pinned", "price_per_1k_tokens_wei");
                adapterId = JsonBody.String(document.RootElement, "adapter_id");
                pinned = JsonBody.Bool(document.RootElement, "pinned") ?? false;
                priceText = JsonBody.String(document.RootElement, "price_per_1k_tokens_wei");
            }
            catch (JsonBodyException ex)
            {
                return ex.ToError().ToResult();
            }
        }
        BigInteger? price = null;
        if (priceText is not null)
        {
            if (!BigInteger.TryParse(priceText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return OpenAiError.Invalid($"price_per_1k_tokens_wei must be a decimal integer of wei, not '{priceText}'.", "price_per_1k_tokens_wei").ToResult();
            }
            price = parsed;
        }
        var status = await grains.GetGrain<ITrainingJobGrain>(id).GetStatus();
        if (status.State != TrainingState.Completed)
        {
            return new OpenAiError(StatusCodes.Status409Conflict,
                $"Job '{id}' is {status.State.ToString().ToLowerInvariant()}; only a completed job's model can be published. Watch it at GET {Jobs}/{id}.",
                "invalid_request_error", null, "job_not_completed").ToResult();
        }
        var modelId = status.Spec.ModelId;
        var model = grains.GetGrain<IModelGrain>(modelId);
        if (price is { } wei)
        {
            if (!string.Equals(status.Spec.Owner, owner.Address, StringComparison.OrdinalIgnoreCase))
            {
                throw new NotModelOwnerException(owner.Address, modelId);   // its owner signed the job elsewhere and prices it with their own key
            }
            await model.SetPrice(owner.SignPrice(modelId, wei));
        }
        var info = await model.GetInfo();
        var adapter = adapterId ?? modelId;
        ModelNames.Check("adapter_id", adapter);
        // The hint places the adapter's grain on a silo that already runs its base model.
        RequestContext.Set(AdapterPlacement.BaseModelKey, info.Publication.BaseModel);
        var deployed = await grains.GetGrain<IAdapterGrain>(adapter).Deploy(new AdapterDeployment(info.Publication.BaseModel, ModelId: modelId, Pinned: pinned));
        return GridJson.Write(new
        {
            @object = "fine_tuning.publication",
            job_id = id,
            model = GridViews.Model(info),
            adapter = GridViews.Adapter(deployed),
        });
    }

    private static async Task<int> LatestSnapshotAsync(IGrainFactory grains, string datanetId) =>
        (await grains.GetGrain<IDatanetGrain>(datanetId).GetInfo()).Snapshots.LastOrDefault()?.Number
        ?? throw new SnapshotUnavailableException(datanetId, "has no snapshot yet; take one before training on it.");
}
