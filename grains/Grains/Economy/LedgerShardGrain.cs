using System.Globalization;
using System.Numerics;
using OpenLedger.Cluster;
using OpenLedger.Economy;
using OpenLedger.Grains.Diagnostics;
using OpenLedger.Grains.Hosting;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// One shard of the fee ledger. A charge is checked whole before anything changes and written with the shard's state
/// in one write, so a charge is either in an epoch completely or not at all. Not reentrant: charges and seals on one
/// shard take turns, which is what makes a seal a clean cut between epochs.
/// </summary>
[HostedBy(GridRole.Ledger)]
public sealed class LedgerShardGrain(
    [PersistentState("ledger", StorageNames.GrainState)] IPersistentState<LedgerShardState> state,
    EpochArtifacts artifacts) : Grain, ILedgerShardGrain
{
    /// <inheritdoc />
    public async Task<long> Charge(InferenceCharge charge)
    {
        foreach (var (id, held) in state.State.Epochs)
        {
            if (held.Records.ContainsKey(charge.InferenceId))
            {
                return id;
            }
        }
        var fee = Parse(charge.FeeWei, "fee");
        var accrued = charge.Accruals.Select(a => (a.Recipient, Wei: Parse(a.Wei, "accrual"))).ToList();
        if (accrued.Any(a => a.Wei < 0) || fee < 0 || accrued.Aggregate(BigInteger.Zero, (sum, a) => sum + a.Wei) != fee)
        {
            throw new ArgumentException($"The charge of inference '{charge.InferenceId}' does not conserve its fee: accruals must be non-negative and add up to {charge.FeeWei} wei.");
        }
        if (fee > 0 && string.IsNullOrEmpty(charge.Agent))
        {
            throw new ArgumentException($"The charge of inference '{charge.InferenceId}' has a fee but no agent to debit.");
        }

        var epoch = Open();
        foreach (var (recipient, wei) in accrued)
        {
            Add(epoch.Accrued, recipient, wei);
        }
        if (fee > 0)
        {
            Add(epoch.Debits, charge.Agent!, fee);
        }
        epoch.Records[charge.InferenceId] = charge.RecordHash;
        await state.WriteStateAsync();
        LedgerMetrics.Recorded(charge);
        return state.State.OpenEpoch;
    }

    /// <inheritdoc />
    public async Task<long> ChargeAgain(InferenceCharge charge)
    {
        // Charge alone only knows the epochs still held here. A charge that landed, whose caller never heard so (its
        // silo was killed, or the earnings feed was away), and whose epoch was then posted and released, would be
        // charged again in the open epoch: the agent debited twice on-chain. Released epochs are those below the
        // open one that this shard no longer holds; each has an anchored batch naming every inference it charged.
        // The grain is not reentrant, so no epoch is released between this look and the charge below.
        if (!state.State.Epochs.Values.Any(e => e.Records.ContainsKey(charge.InferenceId)))
        {
            for (var epochId = state.State.OpenEpoch - 1; epochId >= 1; epochId--)
            {
                if (!state.State.Epochs.ContainsKey(epochId) && (await artifacts.BatchAsync(epochId)).Records.ContainsKey(charge.InferenceId))
                {
                    return epochId;
                }
            }
        }
        return await Charge(charge);
    }

    /// <inheritdoc />
    public async Task<SealedShard> Seal(long epochId)
    {
        if (epochId >= state.State.OpenEpoch)
        {
            // Charges taken so far belong to this epoch; a shard that missed earlier seals (it had none) catches up.
            var open = Open();
            state.State.Epochs.Remove(state.State.OpenEpoch);
            open.Sealed = true;
            state.State.Epochs[epochId] = open;
            state.State.OpenEpoch = epochId + 1;
            await state.WriteStateAsync();
        }
        var sealedEpoch = state.State.Epochs.GetValueOrDefault(epochId) ?? new ShardEpoch { Sealed = true };
        return new SealedShard(epochId, sealedEpoch.Accrued, sealedEpoch.Debits, sealedEpoch.Records);
    }

    /// <inheritdoc />
    public async Task Release(long epochId)
    {
        if (epochId < state.State.OpenEpoch && state.State.Epochs.Remove(epochId))
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<string> Unposted(string account)
    {
        var canonical = account.ToLowerInvariant();
        var sum = state.State.Epochs.Values.Aggregate(BigInteger.Zero,
            (total, epoch) => total + (epoch.Accrued.TryGetValue(canonical, out var wei) ? BigInteger.Parse(wei, CultureInfo.InvariantCulture) : 0));
        return Task.FromResult(sum.ToString(CultureInfo.InvariantCulture));
    }

    private ShardEpoch Open()
    {
        var epochs = state.State.Epochs;
        if (!epochs.TryGetValue(state.State.OpenEpoch, out var open))
        {
            epochs[state.State.OpenEpoch] = open = new ShardEpoch();
        }
        return open;
    }

    private static void Add(Dictionary<string, string> totals, string account, BigInteger wei)
    {
        var current = totals.TryGetValue(account, out var text) ? BigInteger.Parse(text, CultureInfo.InvariantCulture) : BigInteger.Zero;
        totals[account] = (current + wei).ToString(CultureInfo.InvariantCulture);
    }

    private static BigInteger Parse(string wei, string what) =>
        BigInteger.TryParse(wei, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"The {what} '{wei}' is not a whole number of wei.");
}
