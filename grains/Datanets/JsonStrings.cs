using System.Text.Json;

namespace OpenLedger.Datanets;

/// <summary>
/// Finds text in a parsed JSON document that cannot become a .NET string: an escaped UTF-16 surrogate without its
/// pair (<c>"\ud835"</c>). The parser accepts such escapes; reading the string or field name throws later, wherever
/// it happens to be read, so callers check once, right after parsing.
/// </summary>
public static class JsonStrings
{
    /// <summary>The path of the first unreadable string or field name under <paramref name="element"/>, or null when all read.</summary>
    public static string? FirstUnreadable(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element.GetString) ? null : path;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Readable(() => property.Name))
                    {
                        return path + ".<field name>";
                    }
                    if (FirstUnreadable(property.Value, $"{path}.{property.Name}") is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUnreadable(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Readable(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
