namespace OpenLedger.Economy.Chain;

/// <summary>
/// The slice of the contracts' ABI the grid itself calls, written out so that silos need no compiled artifacts at
/// run time. The chain tests check these calls against the contracts compiled from our Solidity.
/// </summary>
public static class EconomyAbi
{
    /// <summary>FeeVault: settlement, an agent's balance and its pending withdrawal.</summary>
    public const string FeeVault = """
        [
          {"type":"function","name":"settle","stateMutability":"nonpayable","inputs":[{"name":"epoch","type":"uint64"},{"name":"agents","type":"address[]"},{"name":"amounts","type":"uint256[]"}],"outputs":[]},
          {"type":"function","name":"balanceOf","stateMutability":"view","inputs":[{"name":"agent","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
          {"type":"function","name":"pendingWithdrawal","stateMutability":"view","inputs":[{"name":"agent","type":"address"}],"outputs":[{"name":"amount","type":"uint128"},{"name":"readyAt","type":"uint64"},{"name":"afterEpoch","type":"uint64"}]},
          {"type":"function","name":"lastSettledEpoch","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]}
        ]
        """;

    /// <summary>OpenToken: the total supply (which each epoch's burn lowers).</summary>
    public const string Token = """
        [
          {"type":"function","name":"totalSupply","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]}
        ]
        """;

    /// <summary>AttributionDistributor: posting an epoch, the last epoch posted, claims.</summary>
    public const string Distributor = """
        [
          {"type":"function","name":"postEpoch","stateMutability":"nonpayable","inputs":[{"name":"epochId","type":"uint64"},{"name":"root","type":"bytes32"},{"name":"total","type":"uint256"},{"name":"burn","type":"uint256"},{"name":"manifestHash","type":"bytes32"}],"outputs":[]},
          {"type":"function","name":"lastEpoch","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]},
          {"type":"function","name":"merkleRoot","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"bytes32"}]},
          {"type":"function","name":"claim","stateMutability":"nonpayable","inputs":[{"name":"account","type":"address"},{"name":"cumulativeAmount","type":"uint256"},{"name":"proof","type":"bytes32[]"}],"outputs":[]},
          {"type":"function","name":"claimed","stateMutability":"view","inputs":[{"name":"account","type":"address"}],"outputs":[{"name":"","type":"uint256"}]}
        ]
        """;

    /// <summary>Registry: anchoring a root and checking one.</summary>
    public const string Registry = """
        [
          {"type":"function","name":"anchor","stateMutability":"nonpayable","inputs":[{"name":"kind","type":"uint8"},{"name":"id","type":"bytes32"},{"name":"root","type":"bytes32"}],"outputs":[]},
          {"type":"function","name":"isAnchored","stateMutability":"view","inputs":[{"name":"kind","type":"uint8"},{"name":"id","type":"bytes32"},{"name":"root","type":"bytes32"}],"outputs":[{"name":"","type":"bool"}]}
        ]
        """;

    /// <summary>FeeSplit: the four basis-point parameters.</summary>
    public const string FeeSplit = """
        [
          {"type":"function","name":"burnBps","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint16"}]},
          {"type":"function","name":"protocolBps","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint16"}]},
          {"type":"function","name":"modelDeveloperBps","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint16"}]},
          {"type":"function","name":"dataContributorsBps","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint16"}]}
        ]
        """;

    /// <summary>AgentStaking: an agent's stake and cooling stake, the minimum, the challenger's part and slashing.</summary>
    public const string Staking = """
        [
          {"type":"function","name":"stakeOf","stateMutability":"view","inputs":[{"name":"agent","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
          {"type":"function","name":"pendingUnstake","stateMutability":"view","inputs":[{"name":"agent","type":"address"}],"outputs":[{"name":"amount","type":"uint128"},{"name":"readyAt","type":"uint64"}]},
          {"type":"function","name":"minimumStake","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
          {"type":"function","name":"challengerBps","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint16"}]},
          {"type":"function","name":"slash","stateMutability":"nonpayable","inputs":[{"name":"agent","type":"address"},{"name":"amount","type":"uint256"},{"name":"evidenceHash","type":"bytes32"},{"name":"challenger","type":"address"}],"outputs":[]}
        ]
        """;

    /// <summary>Registry.Kind.AttributionBatch: the entry kind whose ids are epochs.</summary>
    public const byte AttributionBatchKind = 4;
}
