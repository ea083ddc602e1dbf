using Microsoft.Extensions.Options;
using OpenLedger.Datanets;
using OpenLedger.Economy;
using OpenLedger.Grains.Economy;
using OpenLedger.Grains.Serving;
using OpenLedger.Models;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// The grid's read API for the dashboard, in snake_case JSON with the agent-key check of <c>/v1/models</c>:
/// <c>GET /v1/grid/cluster</c> (silos, devices, adapters by residency), <c>/v1/grid/datanets</c> and
/// <c>/v1/grid/datanets/{id}</c> (counts, snapshots, latest contributions), <c>/v1/grid/models</c> (published models
/// with their provenance), <c>/v1/grid/base_models</c>, <c>/v1/grid/epochs</c> (closed epochs on their way on-chain: root,
/// totals, burn, stage and transactions), and <c>/v1/grid/inferences</c> (this silo's latest answers and
/// its inference rate over the last minute). Lists page with <c>offset</c> and <c>limit</c>, so a call reads a bounded
/// number of grains however large the grid grows.
/// </summary>
public static class GridEndpoints
{
    private const int DefaultPage = 50;
    private const int LargestPage = 200;

    /// <summary>Maps the routes.</summary>
    public static WebApplication MapGrid(this WebApplication app)
    {
        app.MapGet("/v1/grid/cluster", (HttpContext http, AgentCredentials agents, IGrainFactory grains, SiloInventory inventory, ModelRoutes routes, RecentInferences recent, IClusterManifestProvider manifest) =>
            GridAccess.ReadAsync(http, agents, async () => GridJson.Write(await GridCluster.ReadAsync(grains, inventory, routes, recent, manifest))));

        app.MapGet("/v1/grid/datanets", (HttpContext http, AgentCredentials agents, IGrainFactory grains, int? offset, int? limit) =>
            GridAccess.ReadAsync(http, agents, async () =>
            {
                if (Page(offset, limit) is not { } page)
                {
                    return PageError(offset);
                }
                var all = await grains.GetGrain<IDatanetDirectoryGrain>(0).List();
                var infos = await Task.WhenAll(all.Skip(page.Offset).Take(page.Limit).Select(d => grains.GetGrain<IDatanetGrain>(d.Id).GetInfo()));
                return GridJson.Write(new { @object = "list", total = all.Count, offset = page.Offset, data = infos.Select(GridViews.Datanet) });
            }));

        app.MapGet("/v1/grid/datanets/{id}", (string id, HttpContext http, AgentCredentials agents, IGrainFactory grains, int? limit) =>
            GridAccess.ReadAsync(http, agents, async () =>
            {
                if (Page(0, limit) is not { } page)
                {
                    return PageError(0);
                }
                var datanet = grains.GetGrain<IDatanetGrain>(id);
                var info = await datanet.GetInfo();
                var contributions = await datanet.ListContributions();
                return GridJson.Write(new
                {
                    datanet = GridViews.Datanet(info),
                    contributions_total = contributions.Count,
                    latest_contributions = contributions.TakeLast(page.Limit).Reverse().Select(c => new
                    {
                        c.Id, c.Sequence, c.Contributor, c.PayloadHash, c.SizeBytes, c.RecordCount, c.Licence, c.SubmittedAt, c.Status, c.DecidedBy, c.Reason,
                    }),
                });
            }));

        app.MapGet("/v1/grid/models", (HttpContext http, AgentCredentials agents, IGrainFactory grains, int? offset, int? limit) =>
            GridAccess.ReadAsync(http, agents, async () =>
            {
                if (Page(offset, limit) is not { } page)
                {
                    return PageError(offset);
                }
                var all = await grains.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).ListModels();
                var models = await Task.WhenAll(all.Skip(page.Offset).Take(page.Limit).Select(m => grains.GetGrain<IModelGrain>(m).GetInfo()));
                return GridJson.Write(new { @object = "list", total = all.Count, offset = page.Offset, data = models.Select(GridViews.Model) });
            }));

        app.MapGet("/v1/grid/base_models", (HttpContext http, AgentCredentials agents, IGrainFactory grains) =>
            GridAccess.ReadAsync(http, agents, async () =>
            {
                var names = await grains.GetGrain<IModelDirectoryGrain>(IModelDirectoryGrain.Key).ListBaseModels();
                var infos = await Task.WhenAll(names.Take(LargestPage).Select(n => grains.GetGrain<IBaseModelGrain>(n).GetInfo()));
                return GridJson.Write(new
                {
                    @object = "list",
                    total = names.Count,
                    data = infos.Select(b => new { id = b.Name, b.Hash, b.Parameters, b.Tokenizer, b.Description, b.ImportedBy, b.ImportedAt }),
                });
            }));

        app.MapGet("/v1/grid/epochs", (HttpContext http, AgentCredentials agents, IGrainFactory grains, IOptions<EconomyOptions> economy) =>
            GridAccess.ReadAsync(http, agents, async () => GridJson.Write(new
            {
                @object = "list",
                economy = economy.Value.Enabled,
                data = economy.Value.Enabled ? await grains.GetGrain<ISettlementGrain>(ISettlementGrain.Key).Epochs() : [],
            })));

        app.MapGet("/v1/grid/inferences", (HttpContext http, AgentCredentials agents, RecentInferences recent, int? limit) =>
            GridAccess.ReadAsync(http, agents, () =>
            {
                if (Page(0, limit) is not { } page)
                {
                    return Task.FromResult(PageError(0));
                }
                var (inferences, tokens) = recent.Rate();
                return Task.FromResult(GridJson.Write(new
                {
                    @object = "list",
                    served_total = recent.Total,
                    rate = InferenceRateJson(inferences, tokens),
                    data = recent.Latest(page.Limit).Select(i => new
                    {
                        id = i.InferenceId, i.Model, created = i.At, i.PromptTokens, i.CompletionTokens, i.Chat, i.Stream,
                    }),
                }));
            }));
        return app;
    }

    /// <summary>The rate over the last minute: the mean and the per-second series, oldest first.</summary>
    public static object InferenceRateJson(long[] inferences, long[] tokens) => new
    {
        window_seconds = InferenceRate.WindowSeconds,
        inferences_per_second = inferences.Sum() / (double)InferenceRate.WindowSeconds,
        tokens_per_second = tokens.Sum() / (double)InferenceRate.WindowSeconds,
        inferences_by_second = inferences,
        tokens_by_second = tokens,
    };

    private static (int Offset, int Limit)? Page(int? offset, int? limit) =>
        offset is < 0 || limit is < 1 or > LargestPage ? null : (offset ?? 0, limit ?? DefaultPage);

    private static IResult PageError(int? offset) => OpenAiError.Invalid(
        $"Page with offset >= 0 and 1 <= limit <= {LargestPage} (default {DefaultPage}).", offset is < 0 ? "offset" : "limit").ToResult();
}
