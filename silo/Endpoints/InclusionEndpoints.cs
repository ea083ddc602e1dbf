using Microsoft.Extensions.Options;
using OpenLedger.Attribution;
using OpenLedger.Economy;
using OpenLedger.Errors;
using OpenLedger.Grains.Economy;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/attributions/{id}/inclusion</c>: where an answer's attribution record stands on its way on-chain. Until the
/// record is charged to an epoch, and while that epoch is open, the answer is <c>"status": "pending"</c> with the
/// reason; once the epoch has closed it is <c>"included"</c>, with the record's hash, its leaf, the Merkle proof, the
/// batch root, the epoch's stage and, once anchored, the registry transaction that anchored the root.
/// </summary>
public static class InclusionEndpoints
{
    private const string InferencePrefix = "inf-";
    private const int LongestId = 128;

    /// <summary>Maps the route.</summary>
    public static WebApplication MapInclusions(this WebApplication app)
    {
        app.MapGet("/v1/attributions/{id}/inclusion", (string id, HttpContext http, AgentCredentials agents, IGrainFactory grains, IOptions<EconomyOptions> economy) =>
            GridAccess.ReadAsync(http, agents, async () =>
            {
                // Ids the grid never mints are answered without activating a grain for them.
                if (!id.StartsWith(InferencePrefix, StringComparison.Ordinal) || id.Length > LongestId)
                {
                    throw new UnknownInferenceException(id);
                }
                var record = await grains.GetGrain<IAttributionGrain>(id).Get();
                if (!economy.Value.Enabled)
                {
                    throw new EconomyNotConfiguredException();
                }
                if (record.Epoch is not { } epoch)
                {
                    return Pending(id, null, record.Status == AttributionStatus.Pending
                        ? "The attribution is still being computed; the answer is charged to an epoch once it is final."
                        : "The answer is not charged to an epoch yet.");
                }
                var settlement = grains.GetGrain<ISettlementGrain>(ISettlementGrain.Key);
                if (!(await settlement.Epochs()).Any(e => e.EpochId == epoch))
                {
                    return Pending(id, epoch, $"Pending until epoch {epoch} closes: its batch of attribution records, and so this proof, is built then.");
                }
                var inclusion = await settlement.Inclusion(epoch, id);
                return GridJson.Write(new
                {
                    @object = "attribution.inclusion",
                    inference_id = id,
                    status = "included",
                    epoch,
                    inclusion.Stage,
                    record_hash = inclusion.RecordHash,
                    inclusion.Leaf,
                    inclusion.Proof,
                    inclusion.Root,
                    anchor_transaction = inclusion.AnchorTransaction,
                });
            }));
        return app;
    }

    private static IResult Pending(string id, long? epoch, string reason) =>
        GridJson.Write(new { @object = "attribution.inclusion", inference_id = id, status = "pending", epoch, reason });
}
