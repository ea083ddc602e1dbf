using System.Diagnostics;
using OpenLedger.Client.Chain;

namespace OpenLedger.Cli.Chain;

/// <summary>Compiles the Solidity sources with the repository's solc-js script when the artifacts are missing or older than the sources.</summary>
public static class ContractCompiler
{
    private const string Script = "deploy/scripts/compile-contracts.js";
    private const string Sources = "grains/Chain/contracts";

    /// <summary>
    /// Makes <paramref name="artifactsFolder"/> hold current artifacts for every economy contract; returns true when it
    /// compiled. Outside a repository checkout (no sources to compile) the folder is used as it is.
    /// </summary>
    public static async Task<bool> EnsureAsync(string artifactsFolder, CancellationToken cancellationToken = default)
    {
        var root = FindRepositoryRoot();
        if (root is null || !IsStale(root, artifactsFolder))
        {
            return false;
        }
        if (!Directory.Exists(Path.Combine(root, "deploy", "node_modules", "solc")))
        {
            throw new CliException($"deploy/node_modules has no solc: run `./openledger up` once (it installs the Node packages), then try again.");
        }
        var info = new ProcessStartInfo("node", [Path.Combine(root, Script), Path.GetFullPath(artifactsFolder)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        Process compile;
        try
        {
            compile = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException($"Cannot run node to compile the contracts ({e.Message}); install Node.js or run `./openledger up`.");
        }
        using (compile)
        {
            var stderr = compile.StandardError.ReadToEndAsync(cancellationToken);
            await compile.StandardOutput.ReadToEndAsync(cancellationToken);
            await compile.WaitForExitAsync(cancellationToken);
            if (compile.ExitCode != 0)
            {
                throw new CliException($"Compiling the contracts failed:\n{await stderr}");
            }
        }
        return true;
    }

    private static bool IsStale(string root, string artifactsFolder)
    {
        var artifacts = ContractArtifacts.Load(artifactsFolder);
        if (EconomyDeployment.ContractNames.Any(name => !artifacts.Names.Contains(name)))
        {
            return true;
        }
        var built = EconomyDeployment.ContractNames.Min(name => File.GetLastWriteTimeUtc(Path.Combine(artifacts.Folder, name + ".json")));
        var inputs = Directory.EnumerateFiles(Path.Combine(root, Sources), "*.sol").Append(Path.Combine(root, Script));
        var lockFile = Path.Combine(root, "deploy", "package-lock.json");
        return inputs.Append(lockFile).Where(File.Exists).Any(file => File.GetLastWriteTimeUtc(file) > built);
    }

    private static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Script)) && Directory.Exists(Path.Combine(dir.FullName, Sources)))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }
}
