namespace OpenLedger.Testing;

/// <summary>Finds the repository the tests run from, and the tools `./openledger` installs into it.</summary>
public static class RepoPaths
{
    /// <summary>The folder holding OpenLedger.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>deploy/node_modules, where the launcher installs Azurite, ganache and solc from the lock file.</summary>
    public static string NodeModules => Path.Combine(Root, "deploy", "node_modules");

    /// <summary>bench/results, where benchmarks and the fuzz campaigns write their figures.</summary>
    public static string BenchResults => Path.Combine(Root, "bench", "results");

    /// <summary>The tether script every local server runs under.</summary>
    public static string Tether => Path.Combine(Root, "deploy", "scripts", "tethered");

    /// <summary>A Node.js package's file, or a clear error telling how to install it.</summary>
    public static string NodeTool(string relativePath)
    {
        var path = Path.Combine(NodeModules, relativePath);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{relativePath} is not installed under deploy/node_modules. Run `./openledger test` (it installs the lock file's packages) or `npm ci --prefix deploy`.");
        }
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenLedger.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find OpenLedger.sln above " + AppContext.BaseDirectory);
    }
}
