using System.Globalization;
using System.Numerics;
using OpenLedger.Cli.Chain;
using OpenLedger.Cli.Commands;
using OpenLedger.Client;
using OpenLedger.Economy;
using Spectre.Console;

namespace OpenLedger.Cli.Demo;

/// <summary>
/// The demo's last part, for analysts: the earnings read model's table of the contributors' earnings, checked to the
/// wei against the chain (posted leaves and the distributor's claims), the Datanet's totals, and where the dashboard is.
/// </summary>
internal static class AnalystsDemo
{
    private static readonly TimeSpan _catchUp = TimeSpan.FromSeconds(60);

    /// <summary>Runs the analysts' step for Datanet <paramref name="datanetId"/>; returns the figures for --json.</summary>
    public static async Task<object> RunAsync(GridClient grid, string datanetId, IReadOnlyDictionary<string, string> names, int firstStep, Output o)
    {
        var narration = new DemoNarration(o, firstStep);
        narration.Step("Analysts read the earnings, and the dashboard shows them");
        var contracts = ChainEndpoint.LoadContracts(EconomyDemo.RecordFile);
        // The read model learns of claims by reading the chain, so it may be a poll behind the claim just made.
        var rows = new List<(string Name, AccountEarningsView View)>();
        var deadline = DateTimeOffset.UtcNow + _catchUp;
        foreach (var (address, name) in names.OrderBy(n => n.Value, StringComparer.Ordinal))
        {
            var chain = await grid.Economy.EarningsAsync(address, EconomyDemo.Rpc, contracts);
            var view = await grid.Earnings.AccountAsync(address);
            while (!Agrees(view, chain) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(250);
                chain = await grid.Economy.EarningsAsync(address, EconomyDemo.Rpc, contracts);
                view = await grid.Earnings.AccountAsync(address);
            }
            if (!Agrees(view, chain))
            {
                throw new CliException($"The earnings read model disagrees with the ledger and the chain for {name} ({address}): "
                    + $"accrued {view.AccruedWei}, posted {view.PostedWei}, claimed {view.ClaimedWei} against posted {chain.Posted}, unposted {chain.Unposted}, claimed {chain.Claimed} wei.");
            }
            rows.Add((name, view));
        }
        var datanet = await grid.Earnings.TotalsAsync(EarningsGrouping.Datanet, datanetId);
        var top = await grid.Earnings.TopContributorsAsync(datanetId, 5);
        var epochs = await grid.Earnings.EpochsAsync();
        var dashboard = DashboardUrl();
        if (!o.Json)
        {
            var table = Output.Table("contributor", "accrued (OPEN)", "posted (OPEN)", "claimed (OPEN)", "claimable (OPEN)", "rank in Datanet");
            foreach (var (name, view) in rows.OrderByDescending(r => Wei(r.View.AccruedWei)))
            {
                var rank = top.FirstOrDefault(t => t.Contributor == view.Account)?.Rank;
                table.AddRow(Markup.Escape(name), EconomyCommands.Open(Wei(view.AccruedWei)), EconomyCommands.Open(Wei(view.PostedWei)),
                    EconomyCommands.Open(Wei(view.ClaimedWei)), EconomyCommands.Open(Wei(view.ClaimableWei)), rank?.ToString(CultureInfo.InvariantCulture) ?? "-");
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"Datanet {Markup.Escape(datanetId)}: its contributors earned [green]{EconomyCommands.Open(Wei(datanet.Wei))} OPEN[/] over {datanet.Inferences} inferences, "
                + $"in {epochs.Count} epoch(s); every figure above matches the chain to the wei.");
            AnsiConsole.MarkupLine($"The dashboard: [link]{dashboard}[/] (served by the silo while the grid runs; `./openledger up` and `./openledger silo start` keep it up).");
        }
        return new
        {
            dashboard,
            datanet,
            earnings = rows.Select(r => new { name = r.Name, r.View.Account, r.View.AccruedWei, r.View.PostedWei, r.View.ClaimedWei, r.View.ClaimableWei }),
            epochs,
        };
    }

    private static string DashboardUrl() =>
        (Environment.GetEnvironmentVariable("OPENLEDGER_HTTP_URL") ?? "http://127.0.0.1:8080").TrimEnd('/') + "/dashboard";

    private static bool Agrees(AccountEarningsView view, Earnings chain) =>
        Wei(view.PostedWei) == chain.Posted && Wei(view.ClaimedWei) == chain.Claimed && Wei(view.AccruedWei) == chain.Posted + chain.Unposted;

    private static BigInteger Wei(string wei) => BigInteger.Parse(wei, CultureInfo.InvariantCulture);
}
