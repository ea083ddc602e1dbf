using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Attribution;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// Attribution records as the HTTP API writes them: an <c>object: "attribution"</c> with the record's fields in
/// snake_case and statuses as snake_case strings (<c>pending</c>, <c>complete</c>, <c>not_attributable</c>, <c>failed</c>).
/// </summary>
public static class AttributionJson
{
    /// <summary>The record as a JSON object.</summary>
    public static JsonObject ToNode(AttributionRecord record)
    {
        var node = new JsonObject { ["object"] = "attribution" };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(record, AttributionWireFormat.Options)!.AsObject().ToList())
        {
            node[name] = value?.DeepClone();
        }
        return node;
    }
}
