using System.Text.RegularExpressions;
using OpenLedger.Economy;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// The analysts' earnings API under <c>/v1/earnings</c>, answered by the earnings read model (<see cref="IEarningsGrain"/>).
/// Reads only, and open like the chain they mirror: every amount here is also in a posted manifest or a charge.
/// Amounts are decimal strings of integer wei. Documented at <c>/openapi/v1.json</c>.
/// </summary>
public static partial class EarningsEndpoints
{
    private const int MostRanked = 1_000;
    private const int MostLines = 1_000;

    /// <summary>Maps the routes.</summary>
    public static WebApplication MapEarnings(this WebApplication app)
    {
        var earnings = app.MapGroup("/v1/earnings").WithTags("Earnings");

        earnings.MapGet("/accounts/{account}", async (string account, IGrainFactory grains) =>
            Address(account) is { } bad ? bad.ToResult() : Results.Json(await Grain(grains).Account(account)))
            .WithSummary("An account's earnings: accrued, posted on-chain, claimed and claimable, in wei.")
            .Produces<AccountEarningsView>().ProducesProblem(400);

        earnings.MapGet("/accounts/{account}/epochs", async (string account, IGrainFactory grains) =>
            Address(account) is { } bad ? bad.ToResult() : Results.Json(await Grain(grains).History(account)))
            .WithSummary("An account's earnings per epoch, oldest first.")
            .Produces<IReadOnlyList<AccountEpochView>>().ProducesProblem(400);

        earnings.MapGet("/accounts/{account}/epochs/{epoch}/inferences", async (string account, long epoch, int? offset, int? limit, IGrainFactory grains) =>
            (Address(account) ?? Epoch(epoch) ?? Range("offset", offset ?? 0, 0, int.MaxValue) ?? Range("limit", limit ?? 100, 1, MostLines)) is { } bad
                ? bad.ToResult()
                : Results.Json(await Grain(grains).Behind(account, epoch, offset ?? 0, limit ?? 100)))
            .WithSummary("The inferences behind an account's earnings in one epoch (paged; limit 1 to 1000, default 100), each with its attribution at /v1/attributions/{id}.")
            .Produces<EarningsInferencePage>().ProducesProblem(400);

        earnings.MapGet("/epochs", async (IGrainFactory grains) => Results.Json(await Grain(grains).Epochs()))
            .WithSummary("Every epoch: fees charged, accrued, burned, inferences, and what was posted.")
            .Produces<IReadOnlyList<EpochEarningsView>>();

        earnings.MapGet("/status", async (IGrainFactory grains) => Results.Json(await Grain(grains).Status()))
            .WithSummary("What the read model holds, and the last block whose claims it has read.")
            .Produces<EarningsStatusView>();

        earnings.MapGet("/datanets/{datanetId}/top", async (string datanetId, int? count, IGrainFactory grains) =>
            Range("count", count ?? 10, 1, MostRanked) is { } bad
                ? bad.ToResult()
                : Results.Json(await Grain(grains).TopContributors(datanetId, count ?? 10)))
            .WithSummary("A Datanet's top contributors by wei earned in it (count 1 to 1000, default 10).")
            .Produces<IReadOnlyList<TopContributorView>>().ProducesProblem(400);

        earnings.MapGet("/{grouping}/{key}", async (string grouping, string key, long? epoch, IGrainFactory grains) =>
            (Grouping(grouping, out var by) ?? (by == EarningsGrouping.Agent ? Address(key, "key") : null) ?? (epoch is { } e ? Epoch(e) : null)) is { } bad
                ? bad.ToResult()
                : Results.Json(await Grain(grains).Totals(by, key, epoch)))
            .WithSummary("Totals under a Datanet (wei its contributors earned), model or adapter (fees of what it served) or agent (fees it paid); grouping is datanets, models, adapters or agents; all epochs or ?epoch=N.")
            .Produces<EarningsTotalView>().ProducesProblem(400).ProducesProblem(404);

        earnings.MapGet("/{grouping}/{key}/epochs", async (string grouping, string key, IGrainFactory grains) =>
            (Grouping(grouping, out var by) ?? (by == EarningsGrouping.Agent ? Address(key, "key") : null)) is { } bad
                ? bad.ToResult()
                : Results.Json(await Grain(grains).Series(by, key)))
            .WithSummary("The same totals per epoch, oldest first: earnings over time.")
            .Produces<IReadOnlyList<EarningsTotalView>>().ProducesProblem(400).ProducesProblem(404);
        return app;
    }

    private static IEarningsGrain Grain(IGrainFactory grains) => grains.GetGrain<IEarningsGrain>(IEarningsGrain.Key);

    private static OpenAiError? Address(string value, string param = "account") => AddressPattern().IsMatch(value) ? null
        : OpenAiError.Invalid($"'{value}' is not an account: send a 0x-prefixed 20-byte hex address (40 hex digits).", param, "invalid_account");

    private static OpenAiError? Epoch(long epoch) => epoch >= 1 ? null
        : OpenAiError.Invalid($"Epoch {epoch} does not exist: epochs count from 1.", "epoch", "invalid_epoch");

    private static OpenAiError? Range(string param, long value, long least, long most) => value >= least && value <= most ? null
        : OpenAiError.Invalid($"{param} {value} is out of range: send {least} to {most}.", param, "invalid_value");

    private static OpenAiError? Grouping(string value, out EarningsGrouping grouping)
    {
        (grouping, var known) = value switch
        {
            "datanets" => (EarningsGrouping.Datanet, true),
            "models" => (EarningsGrouping.Model, true),
            "adapters" => (EarningsGrouping.Adapter, true),
            "agents" => (EarningsGrouping.Agent, true),
            _ => (EarningsGrouping.Datanet, false),
        };
        return known ? null : new OpenAiError(StatusCodes.Status404NotFound,
            $"There are no earnings by '{value}': use /v1/earnings/datanets, models, adapters, agents, accounts or epochs.", "invalid_request_error", "grouping", "unknown_grouping");
    }

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();
}
