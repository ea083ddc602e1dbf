using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenLedger.Client.Chain;

/// <summary>
/// Where the OPEN economy lives on one chain, as `chain.json` records it: every contract's address, the deployer (which
/// also holds the token supply: the treasury), the settings it was deployed with and the bytecode hashes it was
/// deployed from. Keys are never recorded: the settler's key is derived from the local mnemonic (a keystore in production).
/// </summary>
public sealed record EconomyContracts
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The chain id the contracts were deployed on.</summary>
    public required long ChainId { get; init; }

    /// <summary>The account that deployed and wired the contracts; it holds no admin role afterwards.</summary>
    public required string Deployer { get; init; }

    /// <summary>The account the fixed OPEN supply was minted to (the deployer).</summary>
    public required string Treasury { get; init; }

    /// <summary>OpenToken (ERC20 OPEN).</summary>
    public required string Token { get; init; }

    /// <summary>FeeVault (agents' deposits).</summary>
    public required string FeeVault { get; init; }

    /// <summary>AttributionDistributor (cumulative Merkle epochs and claims).</summary>
    public required string Distributor { get; init; }

    /// <summary>AgentStaking (stakes and slashing).</summary>
    public required string Staking { get; init; }

    /// <summary>Registry (entries and anchors).</summary>
    public required string Registry { get; init; }

    /// <summary>FeeSplit (basis points, governed by the Timelock).</summary>
    public required string FeeSplit { get; init; }

    /// <summary>OpenVotes (gOPEN, the votes token wrapping OPEN).</summary>
    public required string Votes { get; init; }

    /// <summary>TimelockController: admin of every contract.</summary>
    public required string Timelock { get; init; }

    /// <summary>OpenGovernor: the Timelock's proposer and canceller.</summary>
    public required string Governor { get; init; }

    /// <summary>The settler, slasher and anchor account and the governance parameters used.</summary>
    public required EconomySettings Settings { get; init; }

    /// <summary>keccak256 of each deployed contract's creation bytecode, by contract name.</summary>
    public required IReadOnlyDictionary<string, string> BytecodeHashes { get; init; }

    /// <summary>When the deployment finished.</summary>
    public required DateTimeOffset DeployedAt { get; init; }

    /// <summary>The settlement account (the settler, slasher and anchor roles).</summary>
    [JsonIgnore]
    public string Settler => Settings.Settler;

    /// <summary>Every contract by its artifact name, in deployment order.</summary>
    [JsonIgnore]
    public IReadOnlyList<(string Contract, string Address)> All =>
    [
        ("OpenToken", Token), ("FeeVault", FeeVault), ("AttributionDistributor", Distributor), ("AgentStaking", Staking),
        ("Registry", Registry), ("OpenVotes", Votes), ("TimelockController", Timelock), ("OpenGovernor", Governor), ("FeeSplit", FeeSplit),
    ];

    /// <summary>Reads a `chain.json`; null when the file does not exist.</summary>
    public static EconomyContracts? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<EconomyContracts>(File.ReadAllText(path), _json) : null;

    /// <summary>Writes this record to <paramref name="path"/> (whole or not at all: a temporary file, then a rename).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, _json));
        File.Move(temporary, full, overwrite: true);
    }
}
