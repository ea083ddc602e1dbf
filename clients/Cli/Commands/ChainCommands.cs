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
    /// <summary>The `chain` command group.</summary>
    public static Command Build()
    {
        var chain = new Command("chain", "The OPEN economy's contracts on the local EVM chain.");
        chain.Subcommands.Add(Deploy());
        chain.Subcommands.Add(Show());
        return chain;
    }

    private static Command Deploy()
    {
        var rpc = ChainEndpoint.RpcOption();
        var output = ChainEndpoint.FileOption("--out");
        var artifactsOption = ChainEndpoint.ArtifactsOption();
        var chainId = new Option<long>("--chain-id")
        {
            Description = "The chain id the node must report (default: OPENLEDGER_CHAIN_ID, then 1337).",
            DefaultValueFactory = _ => long.TryParse(Environment.GetEnvironmentVariable("OPENLEDGER_CHAIN_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? id : ChainEndpoint.LocalChainId,
        };
        var guardian = new Option<string?>("--guardian")
        {
            Description = "An address given the Timelock's canceller role: it can veto a passed proposal while it waits in the Timelock (default: none).",
        };
        var settlerKeyOut = new Option<string?>("--settler-key-out")
        {
            Description = "Also write the local settlement key (development mnemonic account 1) to this file as an encrypted keystore (Web3 Secret Storage v3), " +
                "readable by its owner only, for the silo's OpenLedger:Economy:SettlerKeyFile.",
        };
        var settlerPasswordOut = new Option<string?>("--settler-password-out")
        {
            Description = "Where the keystore's new random password goes, readable by its owner only, for OpenLedger:Economy:SettlerKeyPasswordFile " +
                "(default: the key file's name with .password).",
        };
        var command = new Command("deploy",
            "Deploy and wire the economy's contracts with the local development mnemonic (account 0 deploys and holds the supply, " +
            "account 1 settles), hand every admin role to the Timelock, and write the addresses. Reuses a current deployment.")
        { rpc, output, artifactsOption, chainId, guardian, settlerKeyOut, settlerPasswordOut };
        command.Handle(async (r, o) =>
        {
            if (r.GetValue(guardian) is { } g && !Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(g))
            {
                throw new CliException($"--guardian '{g}' is not an Ethereum address (0x and 40 hex digits).", "invalid_address");
            }
            var file = Path.GetFullPath(r.GetValue(output)!);
            var artifacts = r.GetValue(artifactsOption) ?? Path.Combine(Path.GetDirectoryName(file)!, "contracts");
            var compiled = await ContractCompiler.EnsureAsync(artifacts);
            // Local chain only: both keys come from the public development mnemonic. A real deployment signs with a
            // keystore key, and the settler's key lives in the settlement grain's keystore, never in chain.json.
            var settings = EconomySettings.Local(DevelopmentMnemonic.Address(DevelopmentMnemonic.SettlerIndex)) with { Guardian = r.GetValue(guardian) };
            var deployerKey = DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.DeployerIndex);
            var result = await ChainEndpoint.Guarded(() => EconomyDeployment.DeployAsync(r.GetValue(rpc)!, deployerKey, r.GetValue(chainId), artifacts, settings, file));
            if (r.GetValue(settlerKeyOut) is { } keyFile)
            {
                SettlerKeyFiles.Write(DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.SettlerIndex), keyFile,
                    r.GetValue(settlerPasswordOut) ?? Path.ChangeExtension(keyFile, ".password"));
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
        var rpc = ChainEndpoint.RpcOption();
        var file = ChainEndpoint.FileOption("--file");
        var artifactsOption = ChainEndpoint.ArtifactsOption();
        var command = new Command("show", "Show the economy's addresses, the token's supply and the fee split, read from the chain.") { rpc, file, artifactsOption };
        command.Handle(async (r, o) =>
        {
            var path = Path.GetFullPath(r.GetValue(file)!);
            var contracts = ChainEndpoint.LoadContracts(path);
            var artifacts = ContractArtifacts.Load(ChainEndpoint.ArtifactsFolder(r.GetValue(artifactsOption), path));
            var overview = await ChainEndpoint.Guarded(() => EconomyOverview.ReadAsync(r.GetValue(rpc)!, contracts, artifacts));
            o.Show(new { file = path, contracts, onChain = overview }, v =>
            {
                AnsiConsole.Write(AddressTable(v.contracts));
                var facts = new Grid().AddColumn().AddColumn();
                facts.AddRow("chain id", v.contracts.ChainId.ToString(CultureInfo.InvariantCulture));
                facts.AddRow("treasury (deployer)", v.contracts.Treasury);
                facts.AddRow("settler", v.contracts.Settler);
                facts.AddRow("guardian", v.contracts.Settings.Guardian ?? "none");
                facts.AddRow("total supply", $"{Open(v.onChain.TotalSupply)} OPEN");
                facts.AddRow("fee split", $"burn {Percent(v.onChain.BurnBps)}, protocol {Percent(v.onChain.ProtocolBps)}, " +
                    $"model developer {Percent(v.onChain.ModelDeveloperBps)}, data contributors {Percent(v.onChain.DataContributorsBps)}");
                facts.AddRow("last epoch", v.onChain.LastEpoch.ToString(CultureInfo.InvariantCulture));
                var s = v.contracts.Settings;
                facts.AddRow("governance", $"voting delay {s.VotingDelaySeconds} s, period {s.VotingPeriodSeconds} s, timelock {s.TimelockDelaySeconds} s, " +
                    $"threshold {Open(s.ProposalThreshold)} gOPEN, quorum {s.QuorumPercent}% of the OPEN supply");
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

    private static string Open(BigInteger wei) => EconomyUnits.Open(wei);

    private static string Percent(int bps) => EconomyUnits.Percent(bps);
}
