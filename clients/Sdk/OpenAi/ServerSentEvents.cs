using System.Runtime.CompilerServices;
using System.Text;

namespace OpenLedger.Client.OpenAi;

/// <summary>Reads the <c>data</c> of each server-sent event in a response body (the only field the API sends).</summary>
internal static class ServerSentEvents
{
    /// <summary>Each event's data lines joined by newlines, as the event stream format defines it.</summary>
    public static async IAsyncEnumerable<string> ReadDataAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellation)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return data.ToString();
                }
                data.Clear();
                hasData = false;
                continue;
            }
            // Comment lines (":" first) are keep-alives; event, id and retry fields carry nothing the API uses.
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }
            var value = line.AsSpan(5);
            if (value.Length > 0 && value[0] == ' ')
            {
                value = value[1..];
            }
            if (hasData)
            {
                data.Append('\n');
            }
            data.Append(value);
            hasData = true;
        }
        // An event not closed by a blank line was cut off; the format says to drop it.
    }
}
