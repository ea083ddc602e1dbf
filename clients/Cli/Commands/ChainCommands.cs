using System.CommandLine;
using System.Globalization;
using System.Numerics;
using OpenLedger.Cli.Chain;
using OpenLedger.Client.Chain;
using Spectre.Console;

namespace OpenLedger.Cli.Commands;

/// <summary>`openledger chain deploy | show`: the OPEN economy's contracts on the local chain.</summary>
public static class ChainCommands
{
    private const string DefaultRpc = "http://127.0.0.1:8545";
    private const long DefaultChainId = 1337;

    /// <summary>The `chain` command group.</summary>
    public static Command Build()
    {
        var chain = new Command("chain", "The OPEN economy's contracts on the local EVM chain.");
        chain.Subcommands.Add(Deploy());
        chain.Subcommands.Add(Show());
        return chain;
    }

    /// <summary>The --rpc option with its environment defaults.</summary>
    internal static Option<string> RpcOption() => new("--rpc")
    {
        Description = "The chain's JSON-RPC URL (default: OPENLEDGER_CHAIN_RPC, OPENLEDGER_RPC_URL, then " + DefaultRpc + ").",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENLEDGER_CHAIN_RPC")
            ?? Environment.GetEnvironmentVariable("OPENLEDGER_RPC_URL") ?? DefaultRpc,
    };

    /// <summary>A deployment-record option with its environment defaults.</summary>
    internal static Option<string> FileOption(string name) => new(name)
    {
        Description = "The deployment record (default: OPENLEDGER_CHAIN_FILE, then .openledger/chain.json).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENLEDGER_CHAIN_FILE") ?? Path.Combine(".openledger", "chain.json"),
    };

    private static Option<string?> ArtifactsOption() => new("--artifacts")
    {
        Description = "The compiled contracts' folder (default: `contracts` beside the record, compiled there when missing or stale).",
    };

    private static Command Deploy()
    {
        var rpc = RpcOption();
        var output = FileOption("--out");
        var artifactsOption = ArtifactsOption();
        var chainId = new Option<long>("--chain-id")
        {
            Description = "The chain id the node must report (default: OPENLEDGER_CHAIN_ID, then 1337).",
            DefaultValueFactory = _ => long.TryParse(Environment.GetEnvironmentVariable("OPENLEDGER_CHAIN_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : DefaultChainId,
        };
        var settlerKeyOut = new Option<string?>("--settler-key-out")
        {
            Description = "Also write the local settlement key (development mnemonic account 1) to this file, readable by its owner only, for the silo.",
        };
        var command = new Command("deploy",
            "Deploy and wire the economy's contracts with the local development mnemonic (account 0 deploys and holds the supply, " +
            "account 1 settles), hand every admin role to the Timelock, and write the addresses. Reuses a current deployment.")
        { rpc, output, artifactsOption, chainId, settlerKeyOut };
        command.Handle(async (r, o) =>
        {
            var file = Path.GetFullPath(r.GetValue(output)!);
            var artifacts = r.GetValue(artifactsOption) ?? Path.Combine(Path.GetDirectoryName(file)!, "contracts");
            var compiled = await ContractCompiler.EnsureAsync(artifacts);
            // Local chain only: both keys come from the public development mnemonic. A real deployment signs with a
            // keystore key, and the settler's key lives in the settlement grain's keystore, never in chain.json.
            var settings = EconomySettings.Local(DevelopmentMnemonic.Address(DevelopmentMnemonic.SettlerIndex));
            var deployerKey = DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex);
            var result = await Guarded(() => EconomyDeployment.DeployAsync(r.GetValue(rpc)!, deployerKey, r.GetValue(chainId), artifacts, settings, file));
            if (r.GetValue(settlerKeyOut) is { } keyFile)
            {
                File.WriteAllText(keyFile, "");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                File.WriteAllText(keyFile, DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.SettlerIndex));
            }
            o.Show(new { reused = result.Reused, compiled, file, contracts = result.Contracts }, v =>
            {
                AnsiConsole.MarkupLine(v.reused
                    ? $"[green]current[/]: the economy recorded in {Markup.Escape(v.file)} is on chain {v.contracts.ChainId}; nothing sent."
                    : $"[green]deployed[/] the economy on chain {v.contracts.ChainId}; addresses in {Markup.Escape(v.file)}.");
                AnsiConsole.Write(AddressTable(v.contracts));
            });
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var rpc = RpcOption();
        var file = FileOption("--file");
        var artifactsOption = ArtifactsOption();
        var command = new Command("show", "Show the economy's addresses, the token's supply and the fee split, read from the chain.") { rpc, file, artifactsOption };
        command.Handle(async (r, o) =>
        {
            var path = Path.GetFullPath(r.GetValue(file)!);
            var contracts = LoadRecord(path);
            var artifacts = ContractArtifacts.Load(r.GetValue(artifactsOption) ?? Path.Combine(Path.GetDirectoryName(path)!, "contracts"));
            var overview = await Guarded(() => EconomyOverview.ReadAsync(r.GetValue(rpc)!, contracts, artifacts));
            o.Show(new { file = path, contracts, onChain = overview }, v =>
            {
                AnsiConsole.Write(AddressTable(v.contracts));
                var facts = new Grid().AddColumn().AddColumn();
                facts.AddRow("chain id", v.contracts.ChainId.ToString(CultureInfo.InvariantCulture));
                facts.AddRow("treasury (deployer)", v.contracts.Treasury);
                facts.AddRow("settler", v.contracts.Settler);
                facts.AddRow("total supply", $"{Open(v.onChain.TotalSupply)} OPEN");
                facts.AddRow("fee split", $"burn {Percent(v.onChain.BurnBps)}, protocol {Percent(v.onChain.ProtocolBps)}, " +
                    $"model developer {Percent(v.onChain.ModelDeveloperBps)}, data contributors {Percent(v.onChain.DataContributorsBps)}");
                facts.AddRow("last epoch", v.onChain.LastEpoch.ToString(CultureInfo.InvariantCulture));
                var s = v.contracts.Settings;
                facts.AddRow("governance", $"voting delay {s.VotingDelaySeconds} s, period {s.VotingPeriodSeconds} s, timelock {s.TimelockDelaySeconds} s, " +
                    $"threshold {Open(s.ProposalThreshold)} gOPEN, quorum {s.QuorumPercent}%");
                AnsiConsole.Write(facts);
            });
            return 0;
        });
        return command;
    }

    private static Table AddressTable(EconomyContracts contracts)
    {
        var table = Output.Table("contract", "address");
        foreach (var (name, address) in contracts.All)
        {
            table.AddRow(name, address);
        }
        return table;
    }

    private static string Open(BigInteger wei) =>
        (wei / EconomySettings.Open).ToString("N0", CultureInfo.InvariantCulture) + (wei % EconomySettings.Open == 0 ? "" : $" + {wei % EconomySettings.Open} wei");

    private static string Percent(int bps) => (bps / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>The deployment record at <paramref name="path"/>; a CLI error naming what to run when there is none.</summary>
    internal static EconomyContracts LoadRecord(string path) =>
        EconomyContracts.Load(Path.GetFullPath(path))
            ?? throw new CliException($"No deployment record at {Path.GetFullPath(path)}: run `./openledger up` (it deploys) or `openledger chain deploy`.", "no_deployment");

    private static async Task<T> Guarded<T>(Func<Task<T>> action)
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
