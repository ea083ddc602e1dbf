using System.Numerics;
using Nethereum.Web3;
using OpenLedger.Economy.Epochs;

namespace OpenLedger.Economy.Chain;

/// <summary>The calldata of the three transactions that put an epoch on-chain, and the gas each is given.</summary>
public static class SettlementCalls
{
    private static readonly Web3 _offline = new();

    /// <summary><c>FeeVault.settle(epoch, agents, amounts)</c>: debits each agent its epoch total.</summary>
    public static string Settle(long epochId, IReadOnlyList<string> agents, IReadOnlyList<BigInteger> amounts) =>
        _offline.Eth.GetContract(EconomyAbi.FeeVault, Account.Zero).GetFunction("settle")
            .GetData((ulong)epochId, agents.ToList(), amounts.ToList());

    /// <summary><c>AttributionDistributor.postEpoch(epochId, root, total, burn, manifestHash)</c>.</summary>
    public static string PostEpoch(EpochClose close) => PostEpoch(close.EpochId, close.Root, close.Total, close.Burn, close.ManifestHash);

    /// <summary><c>AttributionDistributor.postEpoch(epochId, root, total, burn, manifestHash)</c> from its parts.</summary>
    public static string PostEpoch(long epochId, byte[] root, BigInteger total, BigInteger burn, byte[] manifestHash) =>
        _offline.Eth.GetContract(EconomyAbi.Distributor, Account.Zero).GetFunction("postEpoch")
            .GetData((ulong)epochId, root, total, burn, manifestHash);

    /// <summary><c>Registry.anchor(AttributionBatch, bytes32(epochId), root)</c>.</summary>
    public static string AnchorBatch(long epochId, byte[] root) =>
        _offline.Eth.GetContract(EconomyAbi.Registry, Account.Zero).GetFunction("anchor")
            .GetData(EconomyAbi.AttributionBatchKind, BatchId(epochId), root);

    /// <summary><c>AgentStaking.slash(agent, amount, evidenceHash, challenger)</c>.</summary>
    public static string Slash(string agent, BigInteger amount, byte[] evidenceHash, string challenger) =>
        _offline.Eth.GetContract(EconomyAbi.Staking, Account.Zero).GetFunction("slash").GetData(agent, amount, evidenceHash, challenger);

    /// <summary>The amount a slash's calldata takes (its second argument), so a resent slash reports what it sent.</summary>
    public static BigInteger SlashAmount(string data)
    {
        var hex = data.StartsWith("0x", StringComparison.Ordinal) ? data[2..] : data;
        return new BigInteger(Convert.FromHexString(hex.Substring(8 + 64, 64)), isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Gas for a slash (stake writes, a transfer, a burn and an event).</summary>
    public static BigInteger SlashGas => 200_000;

    /// <summary>The registry id of an epoch's attribution batch: the epoch number as a 32-byte big-endian word.</summary>
    public static byte[] BatchId(long epochId) => Wei.ToUInt256Word(epochId);

    /// <summary>Gas for settle: a base plus a debit per agent (a warm balance write and an event).</summary>
    public static BigInteger SettleGas(int agents) => 80_000 + (BigInteger)agents * 40_000;

    /// <summary>Gas for postEpoch (measured at ~148k the first time, ~71k after).</summary>
    public static BigInteger PostEpochGas => 250_000;

    /// <summary>Gas for an anchor (a new array slot and an event).</summary>
    public static BigInteger AnchorGas => 200_000;
}
