using System.CommandLine;
using OpenLedger.Client.Chain;

namespace OpenLedger.Cli.Chain;

/// <summary>
/// Where the chain commands (`chain`, `gov`) find the chain and the economy: the JSON-RPC URL, the deployment record
/// (`chain.json`) and the compiled contracts beside it, each with the same options, variables and defaults.
/// </summary>
public static class ChainEndpoint
{
    /// <summary>The local chain's JSON-RPC URL, where `./openledger up` starts ganache.</summary>
    public const string DefaultRpc = "http://127.0.0.1:8545";

    /// <summary>The local chain's id.</summary>
    public const long LocalChainId = 1337;

    /// <summary>--rpc: default OPENLEDGER_CHAIN_RPC, OPENLEDGER_RPC_URL, then <see cref="DefaultRpc"/>.</summary>
    public static Option<string> RpcOption() => new("--rpc")
    {
        Description = "The chain's JSON-RPC URL (default: OPENLEDGER_CHAIN_RPC, OPENLEDGER_RPC_URL, then " + DefaultRpc + ").",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENLEDGER_CHAIN_RPC")
            ?? Environment.GetEnvironmentVariable("OPENLEDGER_RPC_URL") ?? DefaultRpc,
    };

    /// <summary>The deployment record option named <paramref name="name"/>: default OPENLEDGER_CHAIN_FILE, then .openledger/chain.json.</summary>
    public static Option<string> FileOption(string name) => new(name)
    {
        Description = "The deployment record (default: OPENLEDGER_CHAIN_FILE, then .openledger/chain.json).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENLEDGER_CHAIN_FILE") ?? Path.Combine(".openledger", "chain.json"),
    };

    /// <summary>--artifacts: default the `contracts` folder beside the record.</summary>
    public static Option<string?> ArtifactsOption() => new("--artifacts")
    {
        Description = "The compiled contracts' folder (default: `contracts` beside the record, compiled there when missing or stale).",
    };

    /// <summary>The compiled contracts' folder: <paramref name="option"/>, else `contracts` beside <paramref name="recordFile"/>.</summary>
    public static string ArtifactsFolder(string? option, string recordFile) =>
        option ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(recordFile))!, "contracts");

    /// <summary>The deployment record at <paramref name="recordFile"/>.</summary>
    /// <exception cref="CliException">There is none (<c>no_deployment</c>).</exception>
    public static EconomyContracts LoadContracts(string recordFile)
    {
        var path = Path.GetFullPath(recordFile);
        return EconomyContracts.Load(path)
            ?? throw new CliException($"No deployment record at {path}: run `./openledger up` (it deploys) or `openledger chain deploy`.", "no_deployment");
    }

    /// <summary>Runs a chain action, turning a missing artifact, a failed deployment or an unreachable node into a <see cref="CliException"/>.</summary>
    public static async Task<T> Guarded<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (ContractArtifactMissingException e)
        {
            throw new CliException(e.Message, "missing_artifact");
        }
        catch (EconomyDeploymentException e)
        {
            throw new CliException(e.Message, "deployment_failed");
        }
        catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            throw new CliException($"Cannot read the chain ({e.Message}). Start it with `./openledger up`, or pass --rpc.", "chain_unreachable");
        }
    }
}
