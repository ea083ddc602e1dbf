using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using OpenLedger.Cluster;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings;
using OpenLedger.Errors;
using OpenLedger.Grains.Hosting;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// Holds the earnings index for the whole grid (one activation, key <see cref="IEarningsGrain.Key"/>). On activation
/// it replays its event log from Blob storage; each new event is applied, then appended, before the call returns, so
/// an acknowledged event survives a crash. While a chain is configured it reads the distributor's claims every
/// <see cref="EconomyOptions.ClaimPollInterval"/>. Not reentrant: the index applies one event at a time.
/// </summary>
[HostedBy(GridRole.Ledger)]
public sealed partial class EarningsGrain(
    [PersistentState("earnings", StorageNames.GrainState)] IPersistentState<EarningsState> state,
    BlobServiceClient blobs,
    EconomyChain chain,
    ClaimLogReader claims,
    EpochArtifacts artifacts,
    ILogger<EarningsGrain> logger) : Grain, IEarningsGrain, IEarningsFeedGrain
{
    private readonly EarningsIndex _index = new();
    private EarningsLog _log = null!;
    private long _applied;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _log = new EarningsLog(blobs);
        await foreach (var line in _log.ReadAsync().WithCancellation(cancellationToken))
        {
            _index.Apply(EarningsEventJson.Read(line));
            _applied++;
        }
        LogReplayed(logger, _applied, _index.Inferences, _index.Accounts);
        if (chain.Enabled && !string.IsNullOrEmpty(chain.Options.Distributor))
        {
            this.RegisterGrainTimer(ReadClaimsQuietlyAsync, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.Zero,
                Period = chain.Options.ClaimPollInterval,
                KeepAlive = true,
            });
        }
    }

    /// <inheritdoc />
    public async Task Record(string eventLine)
    {
        try
        {
            await ApplyAsync(EarningsEventJson.Read(eventLine));
        }
        catch (EarningsException refused)
        {
            // The engine's errors stay free of Orleans; the caller gets the same code and message across the wire.
            throw new EarningsEventRefusedException(refused.Code, refused.Message);
        }
    }

    /// <inheritdoc />
    public Task<AccountEarningsView> Account(string account) => Task.FromResult(EarningsViews.View(_index.Account(account)));

    /// <inheritdoc />
    public Task<IReadOnlyList<AccountEpochView>> History(string account) =>
        Task.FromResult<IReadOnlyList<AccountEpochView>>([.. _index.History(account).Select(e => EarningsViews.View(e, _index.Epoch(e.Epoch).Posted is not null))]);

    /// <inheritdoc />
    public Task<EarningsInferencePage> Behind(string account, long epoch, int offset, int limit)
    {
        var page = _index.Behind(account, epoch, offset, limit);
        return Task.FromResult(new EarningsInferencePage([.. page.Lines.Select(EarningsViews.View)], page.Total));
    }

    /// <inheritdoc />
    public Task<EarningsTotalView> Totals(EarningsGrouping grouping, string key, long? epoch)
    {
        var dimension = EarningsViews.Dimension(grouping);
        var totals = epoch is { } e ? _index.Totals(dimension, key, e) : _index.Totals(dimension, key);
        return Task.FromResult(new EarningsTotalView(grouping, totals.Key, epoch, EarningsViews.Text(totals.Wei), totals.Inferences));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EarningsTotalView>> Series(EarningsGrouping grouping, string key)
    {
        var canonical = _index.Totals(EarningsViews.Dimension(grouping), key).Key;
        return Task.FromResult<IReadOnlyList<EarningsTotalView>>([.. _index.Series(EarningsViews.Dimension(grouping), key)
            .Select(p => new EarningsTotalView(grouping, canonical, p.Epoch, EarningsViews.Text(p.Wei), p.Inferences))]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EpochEarningsView>> Epochs() =>
        Task.FromResult<IReadOnlyList<EpochEarningsView>>([.. _index.Epochs().Select(EarningsViews.View)]);

    /// <inheritdoc />
    public Task<IReadOnlyList<TopContributorView>> TopContributors(string datanetId, int count) =>
        Task.FromResult<IReadOnlyList<TopContributorView>>([.. _index.TopContributors(datanetId, count)
            .Select(c => new TopContributorView(c.Rank, c.Contributor, EarningsViews.Text(c.Wei)))]);

    /// <inheritdoc />
    public Task<EarningsStatusView> Status() =>
        Task.FromResult(new EarningsStatusView(_index.Inferences, _index.Accounts, _index.AccrualRows, _applied, state.State.ClaimsReadToBlock));

    /// <inheritdoc />
    public Task<IReadOnlyList<AccrualRow>> AccrualRows(long offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, IEarningsGrain.MaxPageRows);
        return Task.FromResult<IReadOnlyList<AccrualRow>>([.. _index.Rows(offset, limit).Select(EarningsViews.View)]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AccountEarningsView>> AccountRows(int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, IEarningsGrain.MaxPageRows);
        return Task.FromResult<IReadOnlyList<AccountEarningsView>>([.. _index.AccountsPage(offset, limit).Select(EarningsViews.View)]);
    }

    private async Task AppendAsync(string line)
    {
        try
        {
            await _log.AppendAsync(line);
            _applied++;
        }
        catch
        {
            // The index has the event but the log may not: start again from the log, which the emitter's retry extends.
            this.DeactivateOnIdle();
            throw;
        }
    }

    private async Task ReadClaimsQuietlyAsync(CancellationToken cancellation)
    {
        try
        {
            await ReadClaimsAsync();
        }
        catch (Exception ex)
        {
            LogClaimsNotRead(logger, ex, state.State.ClaimsReadToBlock);
        }
    }

    // Posts and claims are read in chain order, posts rebuilt from the epoch manifests: the settlement grain reports
    // each post too, but reading them here as well means a claim never meets an index that has not seen its post
    // (after a crash between the post and its report, or for epochs posted before this read model existed). A claim
    // beyond what was posted even so stops the reading there, to be read again on the next tick.
    private async Task ReadClaimsAsync()
    {
        var latest = await claims.LatestBlockAsync();
        var from = state.State.ClaimsReadToBlock + 1;
        if (latest < from)
        {
            return;
        }
        var readTo = latest;
        var backfilled = false;
        foreach (var log in await claims.DistributorLogsAsync(from, latest))
        {
            var waits = await TryApplyAsync(log);
            if (waits is not null && !backfilled)
            {
                // A post this reading passed before it read posts (or one it never saw) is still on-chain: read every
                // post up to the claim once, then the claim again.
                backfilled = true;
                foreach (var post in (await claims.DistributorLogsAsync(0, log.Block)).Where(l => l.PostedEpoch is not null))
                {
                    await TryApplyAsync(post);
                }
                waits = await TryApplyAsync(log);
            }
            if (waits is not null)
            {
                LogClaimWaits(logger, log.Transaction, log.Block, waits.Message);
                readTo = log.Block - 1;
                break;
            }
        }
        if (readTo != state.State.ClaimsReadToBlock)
        {
            state.State.ClaimsReadToBlock = readTo;
            await state.WriteStateAsync();
        }
    }

    // Applies a post or claim read from the chain; returns the refusal of a claim beyond what was posted, which waits.
    private async Task<ClaimExceedsPostedException?> TryApplyAsync(ClaimSeen log)
    {
        try
        {
            await ApplyAsync(log.PostedEpoch is { } epoch
                ? EarningsEvents.Posted(epoch, (await artifacts.ManifestAsync(epoch)).Leaves, epoch > 1 ? (await artifacts.ManifestAsync(epoch - 1)).Leaves : [])
                : new EarningsClaimed(log.Account!, EarningsViews.Text(log.CumulativeWei), log.Transaction));
            return null;
        }
        catch (ClaimExceedsPostedException waits)
        {
            return waits;
        }
    }

    // Applies, then stores before returning; a repeat changes nothing and is not stored again. The log holds the form
    // this process writes, one canonical line per event.
    private async Task ApplyAsync(EarningsEvent earningsEvent)
    {
        if (_index.Apply(earningsEvent))
        {
            await AppendAsync(EarningsEventJson.Write(earningsEvent));
        }
    }

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Claim {Transaction} in block {Block} waits for its post: {Reason}")]
    private static partial void LogClaimWaits(ILogger logger, string transaction, long block, string reason);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Earnings index replayed {Events} events: {Inferences} inferences, {Accounts} accounts")]
    private static partial void LogReplayed(ILogger logger, long events, int inferences, int accounts);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Claims after block {Block} not read yet")]
    private static partial void LogClaimsNotRead(ILogger logger, Exception ex, long block);
}
