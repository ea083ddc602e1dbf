using System.Diagnostics;
using OpenLedger.Economy.Epochs;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Settlement on the L2 against the ANCHORS.md targets, side by side in one run on a local ganache chain with a 30M
/// block gas limit: the operator's gas per epoch with the cumulative Merkle distributor (<c>FeeVault.settle</c> for
/// four agents plus <c>AttributionDistributor.postEpoch</c>) against pushing an ERC20 transfer to every recipient
/// (<c>PushPayout</c>), for 10, 1,000 and 100,000 recipients; first and repeat claims at a 100,000-leaf tree; and
/// settle + postEpoch cycles per minute. Every epoch comes from the engine (InferenceFee, FeeSplitter, EpochLedger,
/// EpochClose) and every economy from the SDK's deployment. Push is measured where one transaction fits a block and
/// extrapolated beyond, labelled so.
/// </summary>
public static class SettlementBench
{
    private const long BlockGasLimit = 30_000_000;
    private const int Agents = 4;
    private const int PushMeasuredUpTo = 1_000;
    private const int ClaimTreeRecipients = 100_000;
    private const int ClaimAccounts = 9;
    private const int CycleRecipients = 10;
    private const int CycleRounds = 5;
    private const int CyclesPerRound = 10;
    private const long PostTarget = 150_000;
    private const long SettleTarget = 50_000;
    private const long FirstClaimTarget = 90_000;
    private const long RepeatClaimTarget = 60_000;
    // "Constant in N": the largest operator cost per epoch within 1% of the smallest (calldata bytes of the amounts differ).
    private const double ConstantTolerance = 1.01;
    // PushPayout starts and ends each payout holding nothing, so its balance write earns the refund for restoring a
    // slot's original zero (20,000 - 100 gas). Refunds are paid after execution: a push needs that much more gas than it uses.
    private const long RestoredSlotRefund = 19_900;

    private static readonly int[] _recipientCounts = [10, 1_000, ClaimTreeRecipients];

    /// <summary>Runs the suite and returns its figures, the suite's wall time last.</summary>
    public static async Task<IReadOnlyList<BenchFigure>> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        void Progress(string what) => Console.Error.WriteLine($"settlement bench [{clock.Elapsed.TotalSeconds,5:0}s] {what}");
        var figures = new List<BenchFigure> { new("load average (1 min) at start", AttributionBench.LoadAverage(), "runnable") };
        Progress("compiling the contracts and starting ganache");
        await using var chain = await SettlementChain.StartAsync(BlockGasLimit, Agents);
        figures.Add(new BenchFigure("block gas limit", chain.BlockGasLimit, "gas"));

        var scales = new List<Scale>();
        foreach (var recipients in _recipientCounts)
        {
            scales.Add(await MeasureScaleAsync(chain, recipients, Progress));
        }
        var measured = scales.Where(s => s.Later.Push is not null).ToList();
        var pushNew = PushLine.Fit(measured[0].Recipients, measured[0].First.Push!.Value, measured[^1].Recipients, measured[^1].First.Push!.Value, chain.BlockGasLimit);
        var pushHolding = PushLine.Fit(measured[0].Recipients, measured[0].Later.Push!.Value, measured[^1].Recipients, measured[^1].Later.Push!.Value, chain.BlockGasLimit);

        Progress("one more economy for the full-block push and the cycles");
        var economy = await SettlementEconomy.DeployAsync(chain);
        var fitPerBlock = pushNew.PerBlock;
        var (fullBlockRecipients, fullBlockGas) = await MeasureFullBlockPushAsync(economy, fitPerBlock, Progress);
        pushNew = pushNew with { PerBlock = fullBlockRecipients };
        var (rates, cycleMilliseconds, oneAgentSettle) = await MeasureCyclesAsync(economy, Progress);

        figures.AddRange(OperatorFigures(scales, pushNew, pushHolding));
        var fourAgentSettle = scales[0].Later.Settle;
        figures.Add(new BenchFigure("FeeVault.settle gas, 1 agent, per later epoch", oneAgentSettle, "gas", $"<= {SettleTarget:N0}", oneAgentSettle <= SettleTarget));
        figures.Add(new BenchFigure("FeeVault.settle gas per further agent", (fourAgentSettle - oneAgentSettle) / (double)(Agents - 1), "gas"));
        figures.Add(new BenchFigure("push: gas per new recipient (fit, 10 to 1,000)", pushNew.PerRecipient, "gas"));
        figures.Add(new BenchFigure("push: fixed gas per transaction (fit)", pushNew.Fixed, "gas"));
        figures.Add(new BenchFigure("push: new recipients per block (fit)", fitPerBlock, "recipients"));
        figures.Add(new BenchFigure("push: one full block, new recipients paid (measured)", fullBlockRecipients, "recipients"));
        figures.Add(new BenchFigure("push: one full block, gas used (measured)", fullBlockGas, "gas"));
        figures.Add(new BenchFigure("push: gas per recipient holding OPEN (fit, 10 to 1,000)", pushHolding.PerRecipient, "gas"));
        figures.Add(new BenchFigure("push: recipients holding OPEN per block (fit)", pushHolding.PerBlock, "recipients"));
        foreach (var (variant, line) in new[] { ("new recipients", pushNew), ("recipients holding OPEN", pushHolding) })
        {
            figures.Add(new BenchFigure($"push: full-block transactions for {ClaimTreeRecipients:N0} {variant} (extrapolated)", line.At(ClaimTreeRecipients).Transactions, "transactions"));
        }
        figures.AddRange(ClaimFigures(scales.Single(s => s.Recipients == ClaimTreeRecipients)));
        var cyclesPerMinute = BenchStatistics.Median(rates);
        figures.Add(new BenchFigure($"epochs per minute, settle + postEpoch back to back (median of {CycleRounds} rounds of {CyclesPerRound})", cyclesPerMinute, "epochs/min"));
        figures.Add(new BenchFigure("settle + postEpoch cycle p50", BenchStatistics.Median(cycleMilliseconds), "ms"));
        figures.Add(new BenchFigure("settle + postEpoch cycle p99", BenchStatistics.Percentile(cycleMilliseconds, 0.99), "ms"));
        BenchTable.Print("epochs per minute (ganache mines each transaction at once; roots closed beforehand)",
        [
            ["figure", "value"],
            [$"settle + postEpoch cycles per minute, median of {CycleRounds} rounds of {CyclesPerRound}", $"{cyclesPerMinute:N0}"],
            ["rounds", string.Join(" / ", rates.Select(r => $"{r:N0}"))],
            ["cycle p50 / p99", $"{BenchStatistics.Median(cycleMilliseconds):0.0} / {BenchStatistics.Percentile(cycleMilliseconds, 0.99):0.0} ms"],
        ]);
        Progress("done");
        figures.Add(new BenchFigure("load average (1 min) at end", AttributionBench.LoadAverage(), "runnable"));
        figures.Add(new BenchFigure("suite runtime", clock.Elapsed.TotalSeconds, "s"));
        Console.WriteLine();
        return figures;
    }

    // Two epochs on a fresh economy: the first writes every storage slot for the first time, the second is what each
    // later epoch costs. Push pays the same payouts: new recipients in the first epoch, recipients holding OPEN after.
    private static async Task<Scale> MeasureScaleAsync(SettlementChain chain, int recipients, Action<string> progress)
    {
        progress($"{recipients:N0} recipients: deploying the economy and the push baseline, making the epoch's inferences");
        var economy = await SettlementEconomy.DeployAsync(chain);
        var workload = new SettlementWorkload(recipients, Agents, seed: recipients);
        var claimants = recipients == ClaimTreeRecipients
            ? Enumerable.Range(0, ClaimAccounts).Select(i => workload.Recipients[(int)((2L * i + 1) * recipients / (2 * ClaimAccounts))]).ToList()
            : [];
        var ledger = new EpochLedger();
        var epochs = new List<EpochGas>();
        var closeSeconds = new List<double>();
        var claims = new List<List<long>>();
        var proofLengths = new List<int>();
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            workload.AccrueInto(ledger);
            var watch = Stopwatch.StartNew();
            var close = ledger.Close();
            closeSeconds.Add(watch.Elapsed.TotalSeconds);
            if (close.Leaves.Count != recipients || close.Total + close.Burn != workload.TotalDebits)
            {
                throw new InvalidOperationException($"Epoch {epoch} closed {close.Leaves.Count} leaves and {close.Total + close.Burn} wei; the workload has {recipients} recipients and {workload.TotalDebits} wei.");
            }
            progress($"{recipients:N0} recipients, epoch {epoch}: tree closed in {closeSeconds[^1]:0.00} s; settle, postEpoch{(recipients <= PushMeasuredUpTo ? ", push" : "")}");
            var settle = await economy.SettleAsync(close.EpochId, workload.AgentDebits);
            var post = await economy.PostAsync(close);
            long? push = recipients <= PushMeasuredUpTo ? await economy.PushAsync(workload.Payouts) : null;
            epochs.Add(new EpochGas(settle, post, push));
            if (claimants.Count > 0)
            {
                progress($"{recipients:N0} recipients, epoch {epoch}: {claimants.Count} {(epoch == 1 ? "first" : "repeat")} claims");
                var gas = new List<long>();
                foreach (var account in claimants)
                {
                    var (used, length) = await economy.ClaimAsync(close, account);
                    gas.Add(used);
                    proofLengths.Add(length);
                }
                claims.Add(gas);
            }
        }
        return new Scale(recipients, epochs[0], epochs[1], closeSeconds, claims.ElementAtOrDefault(0) ?? [], claims.ElementAtOrDefault(1) ?? [], proofLengths);
    }

    // The largest push the fit says one block holds, measured; a little smaller when it does not fit after all.
    private static async Task<(int Recipients, long Gas)> MeasureFullBlockPushAsync(SettlementEconomy economy, int perBlock, Action<string> progress)
    {
        var recipients = perBlock;
        for (var attempt = 1; ; attempt++)
        {
            progress($"push to {recipients:N0} new recipients in one transaction (the fit's one full block)");
            try
            {
                return (recipients, await economy.PushAsync(new SettlementWorkload(recipients, Agents, seed: recipients + attempt).Payouts));
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                recipients = recipients * 98 / 100;
            }
        }
    }

    // Every cycle's close is made first, so the timing is the chain's: two signed transactions per epoch, each waited
    // for. Untimed before them: the economy's first epoch (first writes to every slot), then an epoch only one agent
    // pays for, whose settle gas is the floor under any number of agents.
    private static async Task<(List<double> PerMinute, List<double> CycleMilliseconds, long OneAgentSettle)> MeasureCyclesAsync(
        SettlementEconomy economy, Action<string> progress)
    {
        var workload = new SettlementWorkload(CycleRecipients, Agents, seed: 7);
        var single = new SettlementWorkload(CycleRecipients, 1, seed: 8);
        var ledger = new EpochLedger();
        EpochClose Next(SettlementWorkload epoch)
        {
            epoch.AccrueInto(ledger);
            return ledger.Close();
        }
        var warmUp = Next(workload);
        var oneAgent = Next(single);
        var closes = Enumerable.Range(0, CycleRounds * CyclesPerRound).Select(_ => Next(workload)).ToList();
        async Task Cycle(EpochClose close)
        {
            await economy.SettleAsync(close.EpochId, workload.AgentDebits);
            await economy.PostAsync(close);
        }
        progress("cycles: warm-up epoch, then one epoch settled for a single agent");
        await Cycle(warmUp);
        var oneAgentSettle = await economy.SettleAsync(oneAgent.EpochId, single.AgentDebits);
        await economy.PostAsync(oneAgent);
        var perMinute = new List<double>();
        var cycleMilliseconds = new List<double>();
        for (var round = 0; round < CycleRounds; round++)
        {
            progress($"cycles: round {round + 1}/{CycleRounds}, {CyclesPerRound} settle + postEpoch back to back");
            var watch = Stopwatch.StartNew();
            for (var c = 0; c < CyclesPerRound; c++)
            {
                var started = Stopwatch.GetTimestamp();
                await Cycle(closes[round * CyclesPerRound + c]);
                cycleMilliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            perMinute.Add(CyclesPerRound / watch.Elapsed.TotalMinutes);
        }
        return (perMinute, cycleMilliseconds, oneAgentSettle);
    }

    private static List<BenchFigure> OperatorFigures(List<Scale> scales, PushLine pushNew, PushLine pushHolding)
    {
        var figures = new List<BenchFigure>();
        var table = new List<string[]>
        {
            new[] { "recipients", "postEpoch", "settle (4 agents)", "Merkle total", "first epoch", "push, new recipients", "push, holding OPEN", "push/Merkle new", "push/Merkle holding" },
        };
        foreach (var scale in scales)
        {
            var n = $"{scale.Recipients:N0} recipients";
            var merkle = scale.Later.Settle + scale.Later.Post;
            var (pushNewGas, pushNewLabel) = PushAt(scale.Recipients, scale.First.Push, pushNew);
            var (pushHoldingGas, pushHoldingLabel) = PushAt(scale.Recipients, scale.Later.Push, pushHolding);
            figures.Add(new BenchFigure($"{n}: postEpoch gas, first epoch", scale.First.Post, "gas"));
            figures.Add(new BenchFigure($"{n}: FeeVault.settle gas ({Agents} agents), first epoch", scale.First.Settle, "gas"));
            figures.Add(new BenchFigure($"{n}: postEpoch gas per later epoch", scale.Later.Post, "gas", $"<= {PostTarget:N0}", scale.Later.Post <= PostTarget));
            figures.Add(new BenchFigure($"{n}: FeeVault.settle gas ({Agents} agents) per later epoch", scale.Later.Settle, "gas", $"<= {SettleTarget:N0}", scale.Later.Settle <= SettleTarget));
            figures.Add(new BenchFigure($"{n}: Merkle operator gas per later epoch (settle + postEpoch)", merkle, "gas",
                $"<= {PostTarget + SettleTarget:N0} ({PostTarget:N0} post + {SettleTarget:N0} settle)", merkle <= PostTarget + SettleTarget));
            figures.Add(new BenchFigure($"{n}: push gas, new recipients{pushNewLabel}", pushNewGas, "gas"));
            figures.Add(new BenchFigure($"{n}: push gas, recipients holding OPEN{pushHoldingLabel}", pushHoldingGas, "gas"));
            figures.Add(new BenchFigure($"{n}: push / Merkle, new recipients{pushNewLabel}", pushNewGas / merkle, "x"));
            figures.Add(new BenchFigure($"{n}: push / Merkle, recipients holding OPEN{pushHoldingLabel}", pushHoldingGas / merkle, "x"));
            table.Add([$"{scale.Recipients:N0}", $"{scale.Later.Post:N0}", $"{scale.Later.Settle:N0}", $"{merkle:N0}", $"{scale.First.Post + scale.First.Settle:N0}",
                $"{pushNewGas:N0}{Mark(pushNewLabel)}", $"{pushHoldingGas:N0}{Mark(pushHoldingLabel)}", $"{pushNewGas / merkle:N1}x", $"{pushHoldingGas / merkle:N1}x"]);
        }
        var totals = scales.Select(s => (double)(s.Later.Settle + s.Later.Post)).ToList();
        var spread = totals.Max() / totals.Min();
        figures.Add(new BenchFigure("Merkle operator gas per later epoch, largest / smallest over N", spread, "x", $"constant in N (<= {ConstantTolerance:0.00}x)", spread <= ConstantTolerance));
        BenchTable.Print($"operator gas per epoch: cumulative Merkle (later epochs; first epoch = settle + postEpoch of the first) vs push; "
            + $"* extrapolated: full-block transactions of {pushNew.PerBlock:N0} new (measured) or {pushHolding.PerBlock:N0} holding (fit) recipients", table);
        return figures;
    }

    private static List<BenchFigure> ClaimFigures(Scale scale)
    {
        var first = scale.FirstClaims.Select(g => (double)g).ToList();
        var repeat = scale.RepeatClaims.Select(g => (double)g).ToList();
        var firstMedian = BenchStatistics.Median(first);
        var repeatMedian = BenchStatistics.Median(repeat);
        var depth = BenchStatistics.Median(scale.ProofLengths.Select(l => (double)l));
        var tree = $"{scale.Recipients:N0} leaves";
        BenchTable.Print($"claims at a tree of {tree} (proof {depth:0} hashes, {first.Count} accounts spread over the tree)",
        [
            ["claim", "median", "min", "max", "target"],
            ["first", $"{firstMedian:N0}", $"{first.Min():N0}", $"{first.Max():N0}", $"<= {FirstClaimTarget:N0}: {(firstMedian <= FirstClaimTarget ? "holds" : "MISSED")}"],
            ["repeat (after a later epoch)", $"{repeatMedian:N0}", $"{repeat.Min():N0}", $"{repeat.Max():N0}", $"<= {RepeatClaimTarget:N0}: {(repeatMedian <= RepeatClaimTarget ? "holds" : "MISSED")}"],
            ["EpochLedger.Close of the tree", $"{BenchStatistics.Median(scale.CloseSeconds):0.00} s", $"{scale.CloseSeconds.Min():0.00} s", $"{scale.CloseSeconds.Max():0.00} s", ""],
        ]);
        return
        [
            new BenchFigure($"first claim gas, {tree} (median of {first.Count} accounts)", firstMedian, "gas", $"<= {FirstClaimTarget:N0}", firstMedian <= FirstClaimTarget),
            new BenchFigure($"first claim gas, {tree} (largest of {first.Count})", first.Max(), "gas"),
            new BenchFigure($"repeat claim gas, {tree} (median of {repeat.Count} accounts)", repeatMedian, "gas", $"<= {RepeatClaimTarget:N0}", repeatMedian <= RepeatClaimTarget),
            new BenchFigure($"repeat claim gas, {tree} (largest of {repeat.Count})", repeat.Max(), "gas"),
            new BenchFigure($"claim proof length, {tree} (median)", depth, "hashes"),
            new BenchFigure($"EpochLedger.Close, {tree} (slower of {scale.CloseSeconds.Count})", scale.CloseSeconds.Max(), "s"),
        ];
    }

    private static (double Gas, string Label) PushAt(int recipients, long? measured, PushLine line)
    {
        if (measured is { } gas)
        {
            return (gas, "");
        }
        var (extrapolated, transactions) = line.At(recipients);
        return (extrapolated, " (extrapolated)");
    }

    private static string Mark(string label) => label.Length == 0 ? "" : "*";

    /// <summary>One epoch's operator gas: the vault's settle, the distributor's post and, where measured, the push.</summary>
    private sealed record EpochGas(long Settle, long Post, long? Push);

    /// <summary>What one recipient count measured: its first and later epoch, the tree's close times, and claims where taken.</summary>
    private sealed record Scale(int Recipients, EpochGas First, EpochGas Later, List<double> CloseSeconds, List<long> FirstClaims, List<long> RepeatClaims, List<int> ProofLengths);

    /// <summary>
    /// Push gas as a line through two measured batches: a fixed part per transaction and a part per recipient. Beyond
    /// one block the payouts take as many full-block transactions (<see cref="PerBlock"/> recipients) as needed, each
    /// paying the fixed part again.
    /// </summary>
    private sealed record PushLine(double Fixed, double PerRecipient, int PerBlock)
    {
        public static PushLine Fit(int smallN, long smallGas, int largeN, long largeGas, long blockGasLimit)
        {
            var perRecipient = (double)(largeGas - smallGas) / (largeN - smallN);
            var fixedPart = smallGas - perRecipient * smallN;
            return new PushLine(fixedPart, perRecipient, (int)Math.Floor((blockGasLimit - RestoredSlotRefund - fixedPart) / perRecipient));
        }

        public (double Gas, int Transactions) At(int recipients)
        {
            var transactions = (recipients + PerBlock - 1) / PerBlock;
            return (transactions * Fixed + recipients * PerRecipient, transactions);
        }
    }
}
