using System.Text.Json;

namespace OpenLedger.Client.Chain;

/// <summary>The compiled contracts in one folder: one `{contractName, abi, bytecode}` JSON file per contract.</summary>
public sealed class ContractArtifacts
{
    private readonly Dictionary<string, ContractArtifact> _byName;

    private ContractArtifacts(string folder, Dictionary<string, ContractArtifact> byName)
    {
        Folder = folder;
        _byName = byName;
    }

    /// <summary>The folder the artifacts were read from.</summary>
    public string Folder { get; }

    /// <summary>The names of every contract found.</summary>
    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>Reads every artifact in <paramref name="folder"/>; a missing folder reads as empty, so <see cref="Get"/> names what is missing.</summary>
    public static ContractArtifacts Load(string folder)
    {
        var full = Path.GetFullPath(folder);
        var byName = new Dictionary<string, ContractArtifact>(StringComparer.Ordinal);
        if (Directory.Exists(full))
        {
            foreach (var file in Directory.EnumerateFiles(full, "*.json"))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file));
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("contractName", out var name)
                    || !root.TryGetProperty("abi", out var abi) || !root.TryGetProperty("bytecode", out var bytecode))
                {
                    continue; // not an artifact (chain.json may sit beside them)
                }
                byName[name.GetString()!] = new ContractArtifact(name.GetString()!, abi.GetRawText(), bytecode.GetString()!);
            }
        }
        return new ContractArtifacts(full, byName);
    }

    /// <summary>The artifact for <paramref name="contract"/>.</summary>
    /// <exception cref="ContractArtifactMissingException">The folder has no artifact by that name.</exception>
    public ContractArtifact Get(string contract) =>
        _byName.TryGetValue(contract, out var artifact) ? artifact : throw new ContractArtifactMissingException(contract, Folder);
}
