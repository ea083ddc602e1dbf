namespace OpenLedger.Grains.Economy;

/// <summary>An agent's spending as stored, in decimal wei.</summary>
[GenerateSerializer, Alias("OpenLedger.AgentAccountState")]
public sealed class AgentAccountState
{
    /// <summary>Inference id → the fee held for it while it is served.</summary>
    [Id(0)] public Dictionary<string, string> Holds { get; set; } = [];

    /// <summary>Fees charged but not yet debited in the vault by a settled epoch.</summary>
    [Id(1)] public string UnsettledWei { get; set; } = "0";

    /// <summary>The last epoch whose settlement was recorded here.</summary>
    [Id(2)] public long LastSettledEpoch { get; set; }

    /// <summary>The agent's epoch budget, decimal wei; null for the grid's default.</summary>
    [Id(3)] public string? EpochBudgetWei { get; set; }
}
