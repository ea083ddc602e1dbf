using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nethereum.Hex.HexConvertors.Extensions;
using OpenLedger.Economy;
using OpenLedger.Economy.Chain;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Cluster.Tests.Faults;

/// <summary>
/// After the faults: lets every served inference finish its attribution and charge, closes the last epoch on-chain,
/// then checks that nothing acknowledged was lost or doubled. Every contribution acknowledged is in the Datanet; every
/// inference answered 200 is charged once at its tokens × price and its record is final, in exactly one epoch's
/// anchored batch; the read model's fees, burns and posts equal what the vault, the token and the distributor moved, to
/// the wei; epochs on-chain run 1..n with none posted twice or skipped. Only the epochs closed since
/// <paramref name="before"/> was read are this run's, so runs can follow one another on one grid.
/// </summary>
public sealed class FaultAudit(FaultGrid grid, FaultWorkload workload, ChainLedger before)
{
    private readonly List<FaultCheck> _checks = [];

    /// <summary>Drains, closes and checks; returns the outcome (every check, passed or not) for the report.</summary>
    public async Task<FaultOutcome> RunAsync(string fault, IReadOnlyList<string> injected, TimeSpan elapsed)
    {
        var served = workload.Served.Values.ToList();
        var attributions = await DrainAsync(served);
        grid.Log.Write($"drained: {attributions.Values.Count(a => a.Epoch is not null)} of {served.Count} attributions final and charged");
        var all = await CloseLastAsync(attributions.Values.Select(a => a.Epoch).DefaultIfEmpty().Max() ?? 0);
        var epochs = all.Where(e => e.EpochId > before.LastPosted).ToList();
        grid.Log.Write($"last epoch closed: {epochs.Count} epochs in this run, {all.Count} in all");
        var after = await ChainLedger.ReadAsync(grid);
        var rows = await AccrualRowsAsync();

        await CheckContributionsAsync();
        var charged = CheckCharges(served, rows, attributions, epochs);
        var attributed = await CheckAttributionAsync(served, attributions, epochs);
        var wei = await CheckChainAsync(rows, all, epochs, after);

        return new FaultOutcome(fault, injected, Math.Round(elapsed.TotalSeconds, 1), workload.Contributions.Count, workload.Requests, served.Count,
            charged, attributed, epochs.Count, epochs.Select(e => e.EpochId).ToList(), wei.ToString(CultureInfo.InvariantCulture),
            new SortedDictionary<string, int>(workload.Errors.ToDictionary(), StringComparer.Ordinal), _checks, _checks.All(c => c.Passed));
    }

    // Reads each record through the HTTP API until it is final and charged: a pending one left by a killed silo's
    // queue is started again by the read itself.
    private async Task<Dictionary<string, (string Status, long? Epoch)>> DrainAsync(IReadOnlyList<ServedInference> served)
    {
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, (string Status, long? Epoch)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        await Parallel.ForEachAsync(served, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (inference, _) =>
        {
            var last = ("unread", (long?)null);
            for (var attempt = 0; DateTime.UtcNow < deadline; attempt++)
            {
                var live = grid.Live;
                var silo = live[attempt % live.Count];
                try
                {
                    using var http = silo.Http(grid.Agents[0].ApiKey, TimeSpan.FromSeconds(30));
                    using var response = await http.GetAsync($"/v1/attributions/{inference.Id}");
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.IsSuccessStatusCode)
                    {
                        using var record = JsonDocument.Parse(text);
                        var status = record.RootElement.GetProperty("status").GetString()!;
                        long? epoch = record.RootElement.TryGetProperty("epoch", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : null;
                        last = (status, epoch);
                        if (epoch is not null && status is "complete" or "not_attributable")
                        {
                            break;
                        }
                    }
                    else
                    {
                        last = ($"http {(int)response.StatusCode}", null);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    last = (ex.GetType().Name, null);
                }
                await Task.Delay(500);
            }
            results[inference.Id] = last;
        });
        return new Dictionary<string, (string, long?)>(results);
    }

    // The last epoch takes every charge made so far; a close refused mid-fault is resumed and tried again. A close whose
    // answer was lost with a silo may already have sealed its epoch, so the next call finishes that one and the charges
    // made since sit in the epoch after it: closing goes on until the epoch of the last charge is closed too.
    private async Task<IReadOnlyList<EpochSummary>> CloseLastAsync(long lastChargedEpoch)
    {
        Exception? failure = null;
        IReadOnlyList<EpochSummary> epochs = [];
        for (var attempt = 0; attempt < 8; attempt++)
        {
            try
            {
                await grid.Settlement.CloseEpoch().WaitAsync(TimeSpan.FromMinutes(2));
                failure = null;
                epochs = await grid.Settlement.Epochs();
                if (epochs.Count > 0 && epochs.Max(e => e.EpochId) >= lastChargedEpoch)
                {
                    break;
                }
            }
            catch (Exception ex)
            {
                failure = ex;
                grid.Log.Write($"closing the last epoch failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
                await Task.Delay(TimeSpan.FromSeconds(3));
            }
        }
        epochs = await grid.Settlement.Epochs();
        Check("the last epoch closed", failure is null, failure?.Message ?? $"{epochs.Count} epochs closed");
        return epochs;
    }

    private async Task<IReadOnlyList<AccrualRow>> AccrualRowsAsync()
    {
        var earnings = grid.Grid.Cluster.GetGrain<IEarningsGrain>(IEarningsGrain.Key);
        var rows = new List<AccrualRow>();
        while (true)
        {
            var page = await earnings.AccrualRows(rows.Count, 1_000);
            rows.AddRange(page);
            if (page.Count < 1_000)
            {
                return rows;
            }
        }
    }

    private async Task CheckContributionsAsync()
    {
        var kept = (await grid.Grid.Datanets.ListContributionsAsync(workload.DatanetId)).ToDictionary(c => c.Id, c => c.PayloadHash);
        var lost = workload.Contributions.Where(c => kept.GetValueOrDefault(c.Key) != c.Value).Select(c => c.Key).ToList();
        Check("every acknowledged contribution is in the Datanet", lost.Count == 0 && workload.Contributions.Count > 0,
            $"{workload.Contributions.Count} acknowledged, {kept.Count} kept, {lost.Count} missing{Sample(lost)}");
    }

    private int CheckCharges(IReadOnlyList<ServedInference> served, IReadOnlyList<AccrualRow> rows,
        IReadOnlyDictionary<string, (string Status, long? Epoch)> attributions, IReadOnlyList<EpochSummary> epochs)
    {
        var byInference = rows.GroupBy(r => r.InferenceId).ToDictionary(g => g.Key, g => g.ToList());
        var unbilled = served.Where(s => !byInference.ContainsKey(s.Id)).Select(s => $"{s.Id} ({attributions.GetValueOrDefault(s.Id).Status})").ToList();
        var wrongFee = served.Where(s => byInference.TryGetValue(s.Id, out var r)
            && r.Aggregate(BigInteger.Zero, (sum, row) => sum + Wei(row.Wei)) != InferenceFee.Compute(s.Tokens, FaultGrid.PricePer1k)).Select(s => s.Id).ToList();
        var split = byInference.Where(g => g.Value.Select(r => r.Epoch).Distinct().Count() > 1).Select(g => g.Key).ToList();
        var wrongAgent = served.Where(s => byInference.TryGetValue(s.Id, out var r) && r.Any(row => row.Agent != s.Agent)).Select(s => s.Id).ToList();
        var posted = epochs.Count == 0 ? before.LastPosted : epochs[^1].EpochId;
        var unposted = served.Where(s => byInference.TryGetValue(s.Id, out var r) && r[0].Epoch > posted).Select(s => s.Id).ToList();
        Check("every served inference is charged", unbilled.Count == 0 && served.Count > 0, $"{served.Count} served, {unbilled.Count} not charged{Sample(unbilled)}");
        Check("each charge is its tokens x price, in one epoch, to its agent", wrongFee.Count + split.Count + wrongAgent.Count == 0,
            $"{wrongFee.Count} with another fee{Sample(wrongFee)}, {split.Count} in two epochs{Sample(split)}, {wrongAgent.Count} to another agent{Sample(wrongAgent)}");
        Check("every served inference's charge is posted", unposted.Count == 0, $"{unposted.Count} charged after the last close{Sample(unposted)}");
        return served.Count(s => byInference.ContainsKey(s.Id));
    }

    private async Task<int> CheckAttributionAsync(IReadOnlyList<ServedInference> served,
        IReadOnlyDictionary<string, (string Status, long? Epoch)> attributions, IReadOnlyList<EpochSummary> epochs)
    {
        var notFinal = served.Where(s => attributions[s.Id] is not { Epoch: not null, Status: "complete" or "not_attributable" })
            .Select(s => $"{s.Id} ({attributions[s.Id].Status})").ToList();
        Check("every served inference's attribution is final", notFinal.Count == 0, $"{served.Count - notFinal.Count} final, {notFinal.Count} not{Sample(notFinal)}");

        // Each record is in its epoch's batch, whose root the registry anchored once.
        var roots = new Dictionary<long, byte[]>();
        foreach (var epoch in epochs)
        {
            roots[epoch.EpochId] = epoch.AttributionRoot.HexToByteArray();
        }
        var outside = new List<string>();
        var included = 0;
        foreach (var inference in served.Where(s => attributions[s.Id].Epoch is not null))
        {
            var epoch = attributions[inference.Id].Epoch!.Value;
            try
            {
                var inclusion = await grid.Settlement.Inclusion(epoch, inference.Id);
                if (roots.TryGetValue(epoch, out var root) && inclusion.Root.HexToByteArray().SequenceEqual(root)
                    && AttributionBatch.Verify(root, inference.Id, inclusion.RecordHash, inclusion.Proof.Select(p => p.HexToByteArray())))
                {
                    included++;
                    continue;
                }
                outside.Add(inference.Id);
            }
            catch (OpenLedger.Errors.OpenLedgerException ex)
            {
                outside.Add($"{inference.Id} ({ex.Message})");
            }
        }
        Check("every served inference's record is in its epoch's anchored batch", outside.Count == 0 && notFinal.Count == 0,
            $"{included} included, {outside.Count} not{Sample(outside)}");
        return included;
    }

    private async Task<BigInteger> CheckChainAsync(IReadOnlyList<AccrualRow> rows, IReadOnlyList<EpochSummary> all, IReadOnlyList<EpochSummary> epochs, ChainLedger after)
    {
        var ids = all.Select(e => e.EpochId).ToList();
        var last = ids.Count == 0 ? 0 : ids[^1];
        Check("epochs run 1..n, each anchored", ids.SequenceEqual(Enumerable.Range(1, ids.Count).Select(i => (long)i)) && all.All(e => e.Stage == EpochStage.Anchored),
            string.Join(", ", all.Select(e => $"{e.EpochId}:{e.Stage}")));
        Check("the distributor and the vault end at the last epoch", after.LastPosted == last && after.LastSettled == last,
            $"distributor {after.LastPosted}, vault {after.LastSettled}, grid {last}");
        var anchors = new List<string>();
        foreach (var epoch in epochs.Where(e => !e.AttributionRoot.HexToByteArray().All(b => b == 0)))
        {
            var count = await grid.Economy.CallAsync<BigInteger>("Registry", grid.Economy.Contracts.Registry, "anchorCount",
                EconomyAbi.AttributionBatchKind, SettlementCalls.BatchId(epoch.EpochId));
            anchors.Add($"{epoch.EpochId}:{count}");
            Check($"epoch {epoch.EpochId}'s batch is anchored once", count == 1, $"{count} anchors");
        }

        // The read model against the grid's own epoch summaries, then against what the chain moved.
        var views = (await grid.Grid.Cluster.GetGrain<IEarningsGrain>(IEarningsGrain.Key).Epochs()).ToDictionary(v => v.Epoch);
        var mismatched = epochs.Where(e => !views.TryGetValue(e.EpochId, out var v) || v.FeesWei != e.DebitedWei || v.BurnedWei != e.BurnWei
            || v.PostedWei != e.TotalWei || v.Inferences != e.Inferences).Select(e => e.EpochId).ToList();
        Check("the read model's epochs equal the posted ones (fees, burn, posted, inferences)", mismatched.Count == 0, $"mismatched: {string.Join(", ", mismatched)}");

        var postedRows = rows.Where(r => r.Epoch > before.LastPosted && r.Epoch <= last).ToList();
        var fees = postedRows.Aggregate(BigInteger.Zero, (sum, r) => sum + Wei(r.Wei));
        var burned = postedRows.Where(r => r.Role == nameof(AccrualRole.Burn)).Aggregate(BigInteger.Zero, (sum, r) => sum + Wei(r.Wei));
        var debited = epochs.Aggregate(BigInteger.Zero, (sum, e) => sum + Wei(e.DebitedWei));
        Check("the ledger's fees equal the epochs' debits", fees == debited, $"ledger {fees} wei, epochs {debited} wei");
        Check("the burn equals the fall in OPEN's supply", before.Supply - after.Supply == burned, $"ledger {burned} wei, supply fell {before.Supply - after.Supply} wei");
        Check("the distributor received the fees less the burn", after.Distributor - before.Distributor == fees - burned,
            $"ledger {fees - burned} wei, distributor rose {after.Distributor - before.Distributor} wei");
        foreach (var agent in grid.Agents)
        {
            var paid = postedRows.Where(r => r.Agent == agent.Address).Aggregate(BigInteger.Zero, (sum, r) => sum + Wei(r.Wei));
            var vault = before.Deposits[agent.Address] - after.Deposits[agent.Address];
            Check($"agent {agent.Address[..10]}'s vault debit equals its charges", vault == paid, $"ledger {paid} wei, vault {vault} wei");
        }
        var inferences = epochs.Sum(e => e.Inferences);
        var charged = postedRows.Select(r => r.InferenceId).Distinct().Count();
        Check("no inference is in two epochs' batches", inferences == charged, $"{inferences} records in batches, {charged} inferences charged");
        return fees;
    }

    private void Check(string name, bool passed, string detail) => _checks.Add(new FaultCheck(name, passed, detail));

    private static string Sample(IReadOnlyList<string> ids) => ids.Count == 0 ? "" : $" (e.g. {string.Join(", ", ids.Take(3))})";

    private static BigInteger Wei(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
