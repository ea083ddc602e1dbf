using System.Text.Json.Nodes;

namespace OpenLedger.Client.OpenAi;

/// <summary>
/// How to sample a completion, with the grid's defaults rather than OpenAI's: temperature 0 is greedy, and a null
/// <see cref="Seed"/> leaves the choice to the server.
/// </summary>
public sealed record OpenAiSampling(int MaxTokens = 64, double Temperature = 0, double TopP = 1, IReadOnlyList<string>? Stop = null, long? Seed = null)
{
    internal void WriteTo(JsonObject body)
    {
        body["max_tokens"] = MaxTokens;
        body["temperature"] = Temperature;
        body["top_p"] = TopP;
        if (Stop is { Count: > 0 })
        {
            body["stop"] = new JsonArray(Stop.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        }
        if (Seed is { } seed)
        {
            body["seed"] = seed;
        }
    }
}
