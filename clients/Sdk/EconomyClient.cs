using System.Globalization;
using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.Web3;
using OpenLedger.Attribution;
using OpenLedger.Client.Chain;
using OpenLedger.Economy;
using OpenLedger.Economy.Chain;
using OpenLedger.Economy.Epochs;
using OpenLedger.Errors;

namespace OpenLedger.Client;

/// <summary>
/// The OPEN economy from a client: closing and listing epochs, an account's earnings (accrued, posted, claimed),
/// claiming with the proof the grid serves, and checking an answer's attribution record against the anchor on-chain.
/// Everything read from the chain is read from the contracts named in the deployment record, never taken on trust
/// from the grid.
/// </summary>
public sealed class EconomyClient(IClusterClient cluster)
{
    private static readonly HexBigInteger _claimGas = new(300_000);

    private ISettlementGrain Settlement => cluster.GetGrain<ISettlementGrain>(ISettlementGrain.Key);

    /// <summary>Closes the open epoch and takes it on-chain (settle, post, anchor).</summary>
    public Task<EpochSummary> CloseEpochAsync() => Settlement.CloseEpoch();

    /// <summary>Finishes any epoch left on its way to the chain.</summary>
    public Task<IReadOnlyList<EpochSummary>> ResumeAsync() => Settlement.Resume();

    /// <summary>Every closed epoch, oldest first.</summary>
    public Task<IReadOnlyList<EpochSummary>> EpochsAsync() => Settlement.Epochs();

    /// <summary>The account's earnings: accrued and not yet posted, posted (claimable in total) and already claimed.</summary>
    public async Task<Earnings> EarningsAsync(string account, string rpcUrl, EconomyContracts contracts)
    {
        var canonical = Account.Require(account, nameof(account));
        var unposted = BigInteger.Parse(await Settlement.Unposted(canonical), CultureInfo.InvariantCulture);
        var claim = await Settlement.ClaimOf(canonical);
        var posted = claim is null ? BigInteger.Zero : BigInteger.Parse(claim.CumulativeWei, CultureInfo.InvariantCulture);
        var claimed = await Distributor(rpcUrl, contracts).GetFunction("claimed").CallAsync<BigInteger>(canonical);
        return new Earnings(canonical, unposted, posted, claimed, posted - claimed);
    }

    /// <summary>
    /// Claims everything posted for <paramref name="account"/>: the grid serves the proof, <paramref name="senderKey"/>
    /// pays the gas (anyone may; the OPEN always goes to the account). Returns what was paid and the transaction.
    /// </summary>
    public async Task<(BigInteger Paid, string Transaction)> ClaimAsync(string account, string senderKey, string rpcUrl, EconomyContracts contracts)
    {
        var canonical = Account.Require(account, nameof(account));
        var claim = await Settlement.ClaimOf(canonical)
            ?? throw new InvalidOperationException($"{canonical} has nothing posted to claim yet: it has not earned in a posted epoch.");
        var cumulative = BigInteger.Parse(claim.CumulativeWei, CultureInfo.InvariantCulture);
        var sender = new Nethereum.Web3.Accounts.Account(senderKey, contracts.ChainId);
        var web3 = new Web3(sender, rpcUrl);
        var distributor = web3.Eth.GetContract(EconomyAbi.Distributor, contracts.Distributor);
        var owed = cumulative - await distributor.GetFunction("claimed").CallAsync<BigInteger>(canonical);
        if (owed <= 0)
        {
            throw new InvalidOperationException($"{canonical} has already claimed all {cumulative} wei posted for it.");
        }
        var receipt = await distributor.GetFunction("claim").SendTransactionAndWaitForReceiptAsync(sender.Address, _claimGas, null, null,
            canonical, cumulative, claim.Proof.Select(p => p.HexToByteArray()).ToList());
        if (receipt.Status.Value != 1)
        {
            throw new InvalidOperationException($"The claim transaction {receipt.TransactionHash} reverted.");
        }
        return (owed, receipt.TransactionHash);
    }

    /// <summary>
    /// Checks an answer's attribution record against the chain: the record's hash is recomputed here from the record,
    /// its Merkle path is checked to the epoch's batch root, and the root is looked up in the registry.
    /// </summary>
    public async Task<RecordVerification> VerifyAsync(AttributionRecord record, string rpcUrl, EconomyContracts contracts)
    {
        if (record.Epoch is not { } epoch)
        {
            throw new UnknownEpochException(0, $"has no record of inference '{record.InferenceId}': it is not charged to an epoch yet (its attribution may still be pending)");
        }
        var recordHash = AttributionBatch.RecordHash(AttributionWireFormat.CanonicalBytes(record));
        var inclusion = await Settlement.Inclusion(epoch, record.InferenceId);
        var root = inclusion.Root.HexToByteArray();
        var inBatch = recordHash == inclusion.RecordHash
            && AttributionBatch.Verify(root, record.InferenceId, recordHash, inclusion.Proof.Select(p => p.HexToByteArray()));
        var registry = new Web3(rpcUrl).Eth.GetContract(EconomyAbi.Registry, contracts.Registry);
        var anchored = await registry.GetFunction("isAnchored").CallAsync<bool>(EconomyAbi.AttributionBatchKind, SettlementCalls.BatchId(epoch), root);
        return new RecordVerification(record.InferenceId, epoch, recordHash, inclusion.Root, inclusion.Proof.Count, inBatch, anchored, inclusion.AnchorTransaction);
    }

    private static Nethereum.Contracts.Contract Distributor(string rpcUrl, EconomyContracts contracts) =>
        new Web3(rpcUrl).Eth.GetContract(EconomyAbi.Distributor, contracts.Distributor);
}

/// <summary>An account's earnings in wei: accrued in epochs not yet posted, posted in total, claimed, and claimable now.</summary>
public sealed record Earnings(string Account, BigInteger Unposted, BigInteger Posted, BigInteger Claimed, BigInteger Claimable);

/// <summary>
/// The check of one attribution record against the chain: its recomputed hash, the epoch and batch root, whether its
/// Merkle path reaches that root, and whether the registry holds the root for the epoch.
/// </summary>
public sealed record RecordVerification(string InferenceId, long Epoch, string RecordHash, string Root, int ProofLength, bool InBatch, bool Anchored, string? AnchorTransaction)
{
    /// <summary>True when both hold.</summary>
    public bool Verified => InBatch && Anchored;
}
