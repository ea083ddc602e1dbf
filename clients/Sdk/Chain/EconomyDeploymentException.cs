namespace OpenLedger.Client.Chain;

/// <summary>A deployment or wiring transaction reverted (or never produced a receipt); nothing after it was sent.</summary>
public sealed class EconomyDeploymentException(string contract, string step, string? transactionHash, string detail)
    : Exception($"Deploying the OPEN economy failed at {contract}: {step} ({detail}{(transactionHash is null ? "" : $", transaction {transactionHash}")}). " +
        "Check that the chain is the local ganache (shanghai) and the deployer is funded, then run `openledger chain deploy` again.")
{
    /// <summary>The contract being deployed or wired.</summary>
    public string Contract { get; } = contract;

    /// <summary>The step that failed, e.g. "deploy" or "grant SETTLER_ROLE".</summary>
    public string Step { get; } = step;

    /// <summary>The failed transaction, when one was mined.</summary>
    public string? TransactionHash { get; } = transactionHash;
}
