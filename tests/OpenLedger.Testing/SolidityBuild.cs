using System.Diagnostics;

namespace OpenLedger.Testing;

/// <summary>Compiles our Solidity with the project's own script (solc-js, evmVersion shanghai) into a folder of JSON artifacts.</summary>
public static class SolidityBuild
{
    /// <summary>Compiles every contract into <paramref name="folder"/>; throws with solc's output when it fails.</summary>
    public static async Task CompileAsync(string folder)
    {
        var info = new ProcessStartInfo("node", [Path.Combine(RepoPaths.Root, "deploy", "scripts", "compile-contracts.js"), folder])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var compile = Process.Start(info) ?? throw new InvalidOperationException("Could not start node to compile the contracts.");
        var stderr = compile.StandardError.ReadToEndAsync();
        await compile.StandardOutput.ReadToEndAsync();
        await compile.WaitForExitAsync();
        if (compile.ExitCode != 0)
        {
            throw new InvalidOperationException($"Compiling the contracts failed:\n{await stderr}");
        }
    }
}
