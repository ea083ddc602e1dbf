using Spectre.Console;

namespace OpenLedger.Cli.Demo;

/// <summary>The demo's numbered step headings and commentary; silent in <c>--json</c> mode, where only results are printed.</summary>
internal sealed class DemoNarration(Output output, int firstStep)
{
    private int _step = firstStep;

    /// <summary>Starts the next numbered step.</summary>
    public void Step(string title)
    {
        if (!output.Json)
        {
            AnsiConsole.Write(new Rule($"[bold]{_step++}. {title}[/]").LeftJustified());
        }
    }

    /// <summary>Prints one line of Spectre markup.</summary>
    public void Say(string markup)
    {
        if (!output.Json)
        {
            AnsiConsole.MarkupLine(markup);
        }
    }
}
