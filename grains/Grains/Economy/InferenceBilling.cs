using System.Globalization;
using System.Numerics;
using OpenLedger.Attribution;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;
using OpenLedger.Models;
using OpenLedger.Serving;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// Turns served inferences into ledger charges. Before a paid call runs, its largest possible fee is held on the
/// agent's account; once its attribution is final, the fee (tokens × the model's price) is split by the governed fee
/// split and the attribution shares, charged on the inference's ledger shard with the record's hash, and the hold
/// becomes a debit. Calls nobody pays for (no agent, or the base model alone) are still charged at zero, so every
/// record lands in its epoch's anchored batch.
/// </summary>
public sealed class InferenceBilling(IGrainFactory grains, EconomyChain chain)
{
    /// <summary>True when a chain is configured and calls are charged.</summary>
    public bool Enabled => chain.Enabled;

    /// <summary>
    /// Holds the call's largest possible fee on the agent's account (throws <c>InsufficientDepositException</c> when the
    /// deposit cannot cover it). Nothing is held for free calls; returns the agent held for, or null.
    /// </summary>
    public async Task<string?> HoldAsync(string inferenceId, CompletionRequest request, string modelId)
    {
        if (!chain.Enabled || request.Agent is null || string.IsNullOrEmpty(modelId))
        {
            return null;
        }
        var agent = Account.Require(request.Agent, nameof(request.Agent));
        var price = await PriceAsync(modelId);
        var maxFee = InferenceFee.Compute(request.TokenBound, price);
        await grains.GetGrain<IAgentAccountGrain>(agent).Reserve(inferenceId, maxFee.ToString(CultureInfo.InvariantCulture));
        return agent;
    }

    /// <summary>Drops the hold of a call that was not served to the end.</summary>
    public Task ReleaseAsync(string agent, string inferenceId) => grains.GetGrain<IAgentAccountGrain>(agent).Release(inferenceId);

    /// <summary>
    /// Charges a final record; returns the epoch it landed in, or null when no chain is configured. <paramref name="again"/>
    /// says an earlier charge of it was sent and never confirmed, so it may be in an epoch already posted.
    /// </summary>
    public async Task<long?> ChargeAsync(InferenceTrace trace, AttributionRecord record, bool again = false)
    {
        if (!chain.Enabled)
        {
            return null;
        }
        var recordHash = AttributionBatch.RecordHash(AttributionWireFormat.CanonicalBytes(record));
        var fee = BigInteger.Zero;
        IReadOnlyList<Accrual> accruals = [];
        string? agent = trace.Agent is null ? null : Account.Require(trace.Agent, nameof(trace.Agent));
        var model = string.IsNullOrEmpty(trace.ModelId) ? null : await grains.GetGrain<IModelGrain>(trace.ModelId).GetInfo();
        if (agent is not null && model is not null)
        {
            fee = InferenceFee.Compute(trace.PromptTokens + trace.CompletionTokens, BigInteger.Parse(model.PricePerThousandTokensWei, CultureInfo.InvariantCulture));
            var shares = record.Status == AttributionStatus.Complete
                ? record.Contributors.Where(c => c.PartsPerBillion > 0).Select(c => new DataShare(c.Contributor, c.PartsPerBillion)).ToList()
                : [];
            var recipients = new FeeRecipients(chain.Options.Treasury!, model.Publication.Owner);
            accruals = FeeSplitter.Split(fee, await chain.FeeSplitAsync(), recipients, shares);
        }
        var charge = new InferenceCharge(trace.InferenceId, agent, fee.ToString(CultureInfo.InvariantCulture),
            [.. accruals.Select(a => new ChargeAccrual(a.Recipient, a.Role.ToString(), a.Wei.ToString(CultureInfo.InvariantCulture)))], recordHash);
        var shard = grains.GetGrain<ILedgerShardGrain>(chain.ShardOf(trace.InferenceId));
        var epoch = again ? await shard.ChargeAgain(charge) : await shard.Charge(charge);
        if (agent is not null)
        {
            await grains.GetGrain<IAgentAccountGrain>(agent).Commit(trace.InferenceId, charge.FeeWei);
        }
        // The read model learns of the charge last: a failure here leaves the record unbilled, so the next read of it
        // charges again (the ledger and the account ignore the repeat) and delivers the event again.
        await grains.GetGrain<IEarningsFeedGrain>(IEarningsGrain.Key)
            .Record(EarningsEventJson.Write(EarningsEvents.Charged(trace, record, charge, epoch, model)));
        return epoch;
    }

    private async Task<BigInteger> PriceAsync(string modelId)
    {
        var model = await grains.GetGrain<IModelGrain>(modelId).GetInfo();
        return BigInteger.Parse(model.PricePerThousandTokensWei, CultureInfo.InvariantCulture);
    }
}
