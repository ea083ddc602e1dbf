namespace OpenLedger.Client.Chain;

/// <summary>A contract the economy needs has no compiled artifact in the folder given.</summary>
public sealed class ContractArtifactMissingException(string contract, string folder)
    : Exception($"No compiled artifact for contract '{contract}' in {folder}. Build the artifacts with " +
        $"`node deploy/scripts/compile-contracts.js {folder}` (run `./openledger up` once first so deploy/node_modules exists).")
{
    /// <summary>The missing contract's name.</summary>
    public string Contract { get; } = contract;

    /// <summary>The folder that was searched.</summary>
    public string Folder { get; } = folder;
}
