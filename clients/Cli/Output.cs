using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace OpenLedger.Cli;

/// <summary>Prints results as tables for people or as JSON (with --json) for scripts.</summary>
public sealed class Output(bool json)
{
    private static readonly JsonSerializerOptions _jsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>True when scripts asked for JSON.</summary>
    public bool Json => json;

    /// <summary>Writes <paramref name="value"/> as JSON, or runs <paramref name="human"/> to render it for people.</summary>
    public void Show<T>(T value, Action<T> human)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(value, _jsonOptions));
        }
        else
        {
            human(value);
        }
    }

    /// <summary>Reports an error: a line for people or an error object for scripts.</summary>
    public void Error(string code, string message)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { error = new { code, message } }, _jsonOptions));
        }
        else
        {
            AnsiConsole.MarkupLine($"[red]error[[{Markup.Escape(code)}]][/]: {Markup.Escape(message)}");
        }
    }

    /// <summary>A table with the given column headings.</summary>
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }
        return table;
    }

    /// <summary>The first digits of a hash, enough to tell contributions apart on screen.</summary>
    public static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
