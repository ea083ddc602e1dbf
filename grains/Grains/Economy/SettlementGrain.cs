using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging;
using OpenLedger.Agents;
using OpenLedger.Cluster;
using OpenLedger.Datanets;
using OpenLedger.Economy;
using OpenLedger.Economy.Chain;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;
using OpenLedger.Errors;
using OpenLedger.Grains.Diagnostics;
using OpenLedger.Grains.Hosting;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// Closes epochs and puts them on-chain: seal every ledger shard, merge, build the cumulative Merkle tree over all
/// earnings so far, write the manifest and the attribution batch, then settle the debits in the vault, post the root
/// to the distributor and anchor the batch in the registry. Each step is recorded before the next starts, and every
/// transaction goes through the signer's outbox (stored with this grain's state), so after a crash anywhere the
/// next call resumes the same epoch with the same signed bytes: the contracts' epoch counters refuse a second post,
/// and no epoch is skipped because a new one is only closed once the last is anchored. Not reentrant: one signer,
/// one step at a time.
/// </summary>
[HostedBy(GridRole.Ledger)]
public sealed partial class SettlementGrain(
    [PersistentState("settlement", StorageNames.GrainState)] IPersistentState<SettlementState> state,
    EconomyChain chain,
    EpochArtifacts artifacts,
    SettlementFaults faults,
    TimeProvider time,
    ILogger<SettlementGrain> logger) : Grain, ISettlementGrain
{
    private ChainSender? _sender;
    private EpochClose? _lastPosted;
    private IGrainTimer? _slasher;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        SettlementMetrics.Restored(state.State.Epochs.Select(e => e.Summary));
        if (chain.Enabled && state.State.Epochs.Any(e => e.Summary.Stage != EpochStage.Anchored))
        {
            // An epoch was left on its way to the chain (a crash): finish it without waiting for the next close.
            this.RegisterGrainTimer(ResumeQuietlyAsync, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        }
        if (state.State.Slashes.Any(s => s.Outcome.Stage == SlashStage.Accepted))
        {
            ScheduleSlashes();
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<EpochSummary> CloseEpoch()
    {
        chain.RequireEnabled();
        return await Guarded("close", async () =>
        {
            await ResumeAsync();
            var epochId = (state.State.Epochs.LastOrDefault()?.Summary.EpochId ?? 0) + 1;
            var shards = await Task.WhenAll(Enumerable.Range(0, chain.Options.LedgerShards)
                .Select(i => GrainFactory.GetGrain<ILedgerShardGrain>(i).Seal(epochId)));
            var closed = await BuildAsync(epochId, shards);
            state.State.Epochs.Add(closed);
            await WriteAsync(() => state.State.Epochs.Remove(closed));
            SettlementMetrics.Reached(closed.Summary);
            LogClosed(logger, epochId, closed.Summary.Accounts, closed.Summary.Inferences, closed.Summary.TotalWei, closed.Summary.BurnWei);
            await AdvanceAsync(closed);
            return closed.Summary;
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EpochSummary>> Resume()
    {
        chain.RequireEnabled();
        return await Guarded("resume", ResumeAsync);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EpochSummary>> Epochs() =>
        Task.FromResult<IReadOnlyList<EpochSummary>>([.. state.State.Epochs.Select(e => e.Summary)]);

    /// <inheritdoc />
    public async Task<ClaimProof?> ClaimOf(string account)
    {
        var canonical = Account.Require(account, nameof(account));
        var posted = state.State.Epochs.LastOrDefault(e => e.Summary.Stage >= EpochStage.Posted);
        if (posted is null)
        {
            return null;
        }
        var close = await LastPostedAsync(posted.Summary.EpochId);
        return close.Leaf(canonical) is not { } leaf
            ? null
            : new ClaimProof(canonical, leaf.CumulativeAmount.ToString(CultureInfo.InvariantCulture),
                [.. close.Proof(canonical).Select(p => Hex.Encode(p))], close.EpochId, Hex.Encode(close.Root));
    }

    /// <inheritdoc />
    public async Task<string> Unposted(string account)
    {
        chain.RequireEnabled();
        var canonical = Account.Require(account, nameof(account));
        var parts = await Task.WhenAll(Enumerable.Range(0, chain.Options.LedgerShards)
            .Select(i => GrainFactory.GetGrain<ILedgerShardGrain>(i).Unposted(canonical)));
        return Text(parts.Aggregate(BigInteger.Zero, (sum, p) => sum + Wei(p)));
    }

    /// <inheritdoc />
    public async Task<AttributionInclusion> Inclusion(long epochId, string inferenceId)
    {
        var epoch = state.State.Epochs.FirstOrDefault(e => e.Summary.EpochId == epochId)
            ?? throw new UnknownEpochException(epochId, "is not closed yet");
        var batch = await artifacts.BatchAsync(epochId);
        if (!batch.Records.TryGetValue(inferenceId, out var recordHash))
        {
            throw new UnknownEpochException(epochId, $"has no record of inference '{inferenceId}'");
        }
        return new AttributionInclusion(inferenceId, epochId, recordHash, Hex.Encode(AttributionBatch.Leaf(inferenceId, recordHash)),
            [.. batch.Proof(inferenceId).Select(p => Hex.Encode(p))], Hex.Encode(batch.Root), epoch.Summary.Stage,
            epoch.Summary.Transactions.GetValueOrDefault("anchor"));
    }

    /// <inheritdoc />
    public async Task<SlashOutcome> ProposeSlash(SlashProposal proposal)
    {
        chain.RequireStaking();
        if (state.State.Slashes.FirstOrDefault(s => s.Proposal.EvidenceHash == proposal.EvidenceHash) is { } known)
        {
            return known.Outcome;
        }
        var entry = new SlashEntry
        {
            Proposal = proposal with { Agent = Account.Require(proposal.Agent, nameof(proposal.Agent)), Challenger = Account.Require(proposal.Challenger, nameof(proposal.Challenger)) },
            Outcome = new SlashOutcome(proposal.EvidenceHash, SlashStage.Accepted, proposal.AmountWei, proposal.Challenger),
        };
        state.State.Slashes.Add(entry);
        await WriteAsync(() => state.State.Slashes.Remove(entry));
        ScheduleSlashes();
        return entry.Outcome;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SlashOutcome>> Slashes() =>
        Task.FromResult<IReadOnlyList<SlashOutcome>>([.. state.State.Slashes.Select(s => s.Outcome)]);

    // Slashes go out from a timer, so proposing one never waits on the chain (nor on an epoch being closed).
    private void ScheduleSlashes() => _slasher ??= this.RegisterGrainTimer(SlashPendingAsync, TimeSpan.Zero, TimeSpan.FromSeconds(10));

    private async Task SlashPendingAsync()
    {
        try
        {
            await Guarded("slash", async () =>
            {
                foreach (var entry in state.State.Slashes.Where(s => s.Outcome.Stage == SlashStage.Accepted).ToList())
                {
                    await SlashAsync(entry);
                }
                return 0;
            });
        }
        catch (Exception ex)
        {
            LogSlashFailed(logger, ex);
            return;
        }
        if (!state.State.Slashes.Any(s => s.Outcome.Stage == SlashStage.Accepted))
        {
            _slasher?.Dispose();
            _slasher = null;
        }
    }

    private async Task SlashAsync(SlashEntry entry)
    {
        var p = entry.Proposal;
        var purpose = "slash-" + p.EvidenceHash;
        var amount = Wei(p.AmountWei);
        if (await Sender.FindAsync(purpose) is null)
        {
            // The stake may have shrunk since the evidence (an unstake, another slash): take what is there, or nothing.
            var (active, cooling, _) = await chain.StakeAsync(p.Agent);
            amount = BigInteger.Min(amount, active + cooling);
            if (amount.IsZero)
            {
                await FinishSlashAsync(entry, entry.Outcome with { Stage = SlashStage.Failed, AmountWei = "0", Problem = "the agent has nothing staked" });
                return;
            }
        }
        OutboxEntry sent;
        try
        {
            sent = await Sender.SendAsync(purpose, chain.Options.Staking!, SettlementCalls.Slash(p.Agent, amount, Hex.Decode(p.EvidenceHash), p.Challenger), 0, SettlementCalls.SlashGas);
            SettlementMetrics.Sent("slash", sent);
        }
        catch (ChainSendTimeoutException)
        {
            return;     // not final yet: the next round drives the same signed bytes
        }
        var hash = sent.MinedHash ?? sent.TransactionHash;
        if (sent.Stage == OutboxStage.Reverted)
        {
            await FinishSlashAsync(entry, entry.Outcome with { Stage = SlashStage.Failed, Transaction = hash, Problem = "the slash transaction reverted" });
            return;
        }
        amount = SettlementCalls.SlashAmount(sent.Data);
        var toChallenger = amount * await chain.ChallengerBpsAsync() / 10_000;
        await FinishSlashAsync(entry, entry.Outcome with
        {
            Stage = SlashStage.Slashed, AmountWei = Text(amount), ToChallengerWei = Text(toChallenger), BurnedWei = Text(amount - toChallenger), Transaction = hash,
        });
    }

    private async Task FinishSlashAsync(SlashEntry entry, SlashOutcome outcome)
    {
        var previous = entry.Outcome;
        entry.Outcome = outcome;
        await WriteAsync(() => entry.Outcome = previous);
        LogSlash(logger, entry.Proposal.Agent, outcome.EvidenceHash, outcome.Stage, outcome.AmountWei, outcome.Transaction ?? "-");
        await GrainFactory.GetGrain<IAgentGrain>(entry.Proposal.Agent).Slashed(outcome);
    }

    private ChainSender Sender => _sender ??= new ChainSender(chain.Options.RpcUrl!, chain.Options.LoadSettlerKey(), chain.Options.ChainId,
        new GrainOutboxStore(state, faults), new ChainSenderOptions { Confirmations = chain.Options.Confirmations });

    private async Task<IReadOnlyList<EpochSummary>> ResumeAsync()
    {
        // Every transaction signed but not final is rebroadcast in nonce order first, so no later one waits on a gap.
        await Sender.RecoverAsync();
        var resumed = new List<EpochSummary>();
        foreach (var epoch in state.State.Epochs.Where(e => e.Summary.Stage != EpochStage.Anchored).ToList())
        {
            await AdvanceAsync(epoch);
            resumed.Add(epoch.Summary);
        }
        return resumed;
    }

    private async Task ResumeQuietlyAsync()
    {
        try
        {
            await Guarded("resume", ResumeAsync);
        }
        catch (Exception ex)
        {
            LogResumeFailed(logger, ex);
        }
    }

    // A failure leaves storage as the truth: the next activation starts from what was written, with a fresh signer.
    private async Task<T> Guarded<T>(string step, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch
        {
            SettlementMetrics.Failed(step);
            _sender = null;
            this.DeactivateOnIdle();
            throw;
        }
    }

    private async Task<ClosedEpoch> BuildAsync(long epochId, IReadOnlyList<SealedShard> shards)
    {
        var accrued = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        var debits = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var shard in shards)
        {
            Sum(accrued, shard.Accrued);
            Sum(debits, shard.Debits);
            foreach (var (id, hash) in shard.Records)
            {
                records[id] = hash;
            }
        }
        var previous = epochId > 1 ? (await artifacts.ManifestAsync(epochId - 1)).Leaves : [];
        var ledger = new EpochLedger(epochId, previous);
        ledger.Accrue([.. accrued.Select(p => new Accrual(p.Key, p.Key == Account.Zero ? AccrualRole.Burn : AccrualRole.Protocol, p.Value))]);
        var close = ledger.Close();
        var debited = debits.Values.Aggregate(BigInteger.Zero, (a, b) => a + b);
        if (debited != close.Total + close.Burn)
        {
            throw new SettlementException(epochId, $"the agents were debited {debited} wei but {close.Total} wei accrued and {close.Burn} wei is to be burned; the ledger shards disagree.");
        }
        var batch = new AttributionBatch(records);
        await artifacts.WriteAsync(close, batch);
        var summary = new EpochSummary(epochId, EpochStage.Closed, Hex.Encode(close.Root), Text(close.Total), Text(close.Burn), Text(debited),
            Hex.Encode(close.ManifestHash), close.Leaves.Count, debits.Count, records.Count, Hex.Encode(batch.Root),
            EpochArtifacts.ManifestName(epochId), new Dictionary<string, string>(), time.GetUtcNow());
        return new ClosedEpoch { Summary = summary, Agents = [.. debits.Keys], Debits = [.. debits.Values.Select(Text)] };
    }

    private async Task AdvanceAsync(ClosedEpoch epoch)
    {
        var id = epoch.Summary.EpochId;
        if (epoch.Summary.Stage == EpochStage.Closed)
        {
            var amounts = epoch.Debits.Select(d => BigInteger.Parse(d, CultureInfo.InvariantCulture)).ToList();
            if (await Sender.FindAsync(Purpose("settle", id)) is null)
            {
                await RequireDepositsAsync(id, epoch.Agents, amounts);
            }
            var hash = await SendAsync(id, "settle", chain.Options.FeeVault!, SettlementCalls.Settle(id, epoch.Agents, amounts), SettlementCalls.SettleGas(epoch.Agents.Count));
            await StageAsync(epoch, EpochStage.Settled, "settle", hash);
        }
        if (epoch.Summary.Stage == EpochStage.Settled)
        {
            // Each agent learns its debit is now in the vault's balance (repeats are ignored), then the root is posted.
            await Task.WhenAll(epoch.Agents.Select((agent, i) => GrainFactory.GetGrain<IAgentAccountGrain>(agent).Settled(id, epoch.Debits[i])));
            var s = epoch.Summary;
            var data = SettlementCalls.PostEpoch(id, Hex.Decode(s.Root), Wei(s.TotalWei), Wei(s.BurnWei), Hex.Decode(s.ManifestHash));
            var hash = await SendAsync(id, "post", chain.Options.Distributor!, data, SettlementCalls.PostEpochGas);
            await StageAsync(epoch, EpochStage.Posted, "post", hash);
        }
        if (epoch.Summary.Stage == EpochStage.Posted)
        {
            // Reported before anchoring, so a crash in between reports it again on resume (a repeat changes nothing).
            await ReportPostedAsync(id);
            // The registry refuses a zero root: an epoch that charged no inference has no batch to anchor.
            var root = Hex.Decode(epoch.Summary.AttributionRoot);
            var hash = root.All(b => b == 0) ? null
                : await SendAsync(id, "anchor", chain.Options.Registry!, SettlementCalls.AnchorBatch(id, root), SettlementCalls.AnchorGas);
            await StageAsync(epoch, EpochStage.Anchored, "anchor", hash);
            await Task.WhenAll(Enumerable.Range(0, chain.Options.LedgerShards).Select(i => GrainFactory.GetGrain<ILedgerShardGrain>(i).Release(id)));
        }
    }

    private async Task ReportPostedAsync(long epochId)
    {
        var leaves = (await artifacts.ManifestAsync(epochId)).Leaves;
        var previous = epochId > 1 ? (await artifacts.ManifestAsync(epochId - 1)).Leaves : [];
        await GrainFactory.GetGrain<IEarningsFeedGrain>(IEarningsGrain.Key)
            .Record(EarningsEventJson.Write(EarningsEvents.Posted(epochId, leaves, previous)));
    }

    private async Task RequireDepositsAsync(long epochId, IReadOnlyList<string> agents, IReadOnlyList<BigInteger> amounts)
    {
        for (var i = 0; i < agents.Count; i++)
        {
            var (deposit, _) = await chain.VaultAsync(agents[i]);
            if (deposit < amounts[i])
            {
                throw new SettlementException(epochId, $"agent {agents[i]} owes {amounts[i]} wei but holds {deposit} wei in the vault, so the settlement would revert.");
            }
        }
    }

    private async Task<string> SendAsync(long epochId, string step, string to, string data, BigInteger gas)
    {
        OutboxEntry entry;
        try
        {
            entry = await Sender.SendAsync(Purpose(step, epochId), to, data, 0, gas);
            SettlementMetrics.Sent(step, entry);
        }
        catch (ChainSendTimeoutException ex)
        {
            throw new SettlementException(epochId, $"the {step} transaction is not final yet ({ex.Message}).");
        }
        if (entry.Stage == OutboxStage.Reverted)
        {
            throw new SettlementException(epochId, $"the {step} transaction {entry.MinedHash ?? entry.TransactionHash} reverted on-chain.");
        }
        faults.Reached(SettlementFaults.BeforeStageWrite, entry.Purpose);
        return entry.MinedHash ?? entry.TransactionHash;
    }

    private async Task StageAsync(ClosedEpoch epoch, EpochStage stage, string step, string? transaction)
    {
        var previous = epoch.Summary;
        var transactions = new Dictionary<string, string>(previous.Transactions);
        if (transaction is not null)
        {
            transactions[step] = transaction;
        }
        epoch.Summary = previous with { Stage = stage, Transactions = transactions };
        await WriteAsync(() => epoch.Summary = previous);
        SettlementMetrics.Reached(epoch.Summary);
        LogStage(logger, previous.EpochId, stage, transaction ?? "-");
    }

    private async Task WriteAsync(Action undo)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            undo();
            throw;
        }
    }

    private async Task<EpochClose> LastPostedAsync(long epochId)
    {
        if (_lastPosted?.EpochId != epochId)
        {
            _lastPosted = await artifacts.ManifestAsync(epochId);
        }
        return _lastPosted;
    }

    private static string Purpose(string step, long epochId) => $"{step}-{epochId.ToString(CultureInfo.InvariantCulture)}";

    private static void Sum(SortedDictionary<string, BigInteger> totals, IReadOnlyDictionary<string, string> part)
    {
        foreach (var (account, wei) in part)
        {
            totals[account] = totals.GetValueOrDefault(account) + Wei(wei);
        }
    }

    private static BigInteger Wei(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Text(BigInteger wei) => wei.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Epoch {Epoch} closed: {Accounts} accounts, {Inferences} inferences, {Total} wei to recipients, {Burn} wei burned")]
    private static partial void LogClosed(ILogger logger, long epoch, int accounts, int inferences, string total, string burn);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Epoch {Epoch} is {Stage} (transaction {Transaction})")]
    private static partial void LogStage(ILogger logger, long epoch, EpochStage stage, string transaction);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Slash of agent {Agent} on evidence {Hash} is {Stage}: {Amount} wei (transaction {Transaction})")]
    private static partial void LogSlash(ILogger logger, string agent, string hash, SlashStage stage, string amount, string transaction);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Sending slashes failed; trying again")]
    private static partial void LogSlashFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Resuming unfinished epochs failed; the next close tries again")]
    private static partial void LogResumeFailed(ILogger logger, Exception ex);
}
