using System.CommandLine;
using OpenLedger.Client;
using OpenLedger.Errors;

namespace OpenLedger.Cli.Commands;

/// <summary>Runs a command's body with the shared options and turns known errors into exit code 2 and a clear message.</summary>
public static class CommandRunner
{
    /// <summary>--json, on every command.</summary>
    public static Option<bool> JsonOption { get; } = new("--json") { Description = "Print JSON for scripts instead of tables.", Recursive = true };

    /// <summary>Sets an action that gets the parse result and an <see cref="Output"/>.</summary>
    public static void Handle(this Command command, Func<ParseResult, Output, Task<int>> body) =>
        command.SetAction(async (result, _) =>
        {
            var output = new Output(result.GetValue(JsonOption));
            try
            {
                return await body(result, output);
            }
            catch (OpenLedgerException e)
            {
                output.Error(e.Code, e.Message);
                return 2;
            }
            catch (CliException e)
            {
                output.Error(e.Code, e.Message);
                return 2;
            }
        });

    /// <summary>Connects to the grid named by OPENLEDGER_* variables (set by `./openledger`).</summary>
    public static async Task<GridClient> ConnectAsync()
    {
        try
        {
            return await GridClient.ConnectAsync(GridClientOptions.FromEnvironment());
        }
        catch (Exception e) when (e is InvalidOperationException or Orleans.Runtime.OrleansException or TimeoutException)
        {
            throw new CliException($"Cannot reach the grid ({e.Message}). Start it with `./openledger up` and a silo, or run `./openledger demo`.");
        }
    }
}
