using System.Globalization;
using System.Numerics;
using System.Text.Json;
using OpenLedger.Client.OpenAi;

namespace OpenLedger.Client.Agents;

/// <summary>Reads the agent routes' JSON answers. Wei amounts are decimal strings, since they overflow JSON numbers.</summary>
internal static class AgentResponses
{
    /// <summary>A <c>POST /v1/agents/challenge</c> answer.</summary>
    public static AgentChallenge ReadChallenge(string json, int status) => Read(json, status, root =>
        new AgentChallenge(Text(root, "address"), Text(root, "challenge"), Time(root, "expires_at")));

    /// <summary>A <c>POST /v1/agents/keys</c> answer.</summary>
    public static IssuedAgentKey ReadIssuedKey(string json, int status) => Read(json, status, root =>
        new IssuedAgentKey(Text(root, "key"), Text(root, "key_id"), Text(root, "address"), Wei(root, "stake_wei"), Time(root, "created_at")));

    /// <summary>A <c>GET /v1/agent</c> answer.</summary>
    public static AgentStatus ReadStatus(string json, int status) => Read(json, status, root =>
    {
        var limits = Object(root, "limits");
        var usage = Object(root, "usage");
        return new AgentStatus(
            Text(root, "address"),
            root.GetProperty("eligible").GetBoolean(),
            Wei(root, "stake_wei"),
            Wei(root, "minimum_stake_wei"),
            Array(root, "keys").Select(k => new AgentKeyInfo(Text(k, "key_id"), OptionalText(k, "label"), Time(k, "created_at"), OptionalTime(k, "revoked_at"))).ToList(),
            new AgentLimits(limits.GetProperty("requests_per_second").GetDouble(), limits.GetProperty("tokens_per_second").GetDouble(),
                limits.GetProperty("concurrency").GetInt32(), OptionalWei(limits, "epoch_budget_wei")),
            new AgentUsage(usage.GetProperty("in_flight").GetInt32(), Wei(usage, "deposit_wei"), Wei(usage, "available_wei"), Wei(usage, "reserved_wei"),
                Wei(usage, "unsettled_wei"), OptionalWei(usage, "budget_left_wei")),
            root.TryGetProperty("warnings", out var warnings) ? warnings.GetInt32() : 0,
            Array(root, "evidence").Select(ReadEvidence).ToList());
    });

    private static AgentEvidence ReadEvidence(JsonElement e)
    {
        AgentSlash? slash = null;
        if (e.TryGetProperty("slash", out var s) && s.ValueKind == JsonValueKind.Object)
        {
            slash = new AgentSlash(Enumerated<SlashStage>(OptionalText(s, "stage")), Wei(s, "amount_wei"), OptionalWei(s, "to_challenger_wei") ?? BigInteger.Zero,
                OptionalWei(s, "burned_wei") ?? BigInteger.Zero,
                OptionalText(s, "challenger") ?? "", OptionalText(s, "transaction"));
        }
        return new AgentEvidence(Text(e, "hash"), Enumerated<AgentMisbehaviour>(OptionalText(e, "kind")), Time(e, "observed_at"), OptionalText(e, "detail") ?? "", slash);
    }

    private static T Read<T>(string json, int status, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new OpenAiApiException(status, "invalid_response", null, null, $"The grid answered with JSON this client cannot read ({e.Message}).");
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null.");

    private static string? OptionalText(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset Time(JsonElement element, string name) => element.GetProperty(name).GetDateTimeOffset();

    private static DateTimeOffset? OptionalTime(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;

    private static BigInteger Wei(JsonElement element, string name) => OptionalWei(element, name) ?? throw new FormatException($"'{name}' is missing.");

    private static BigInteger? OptionalWei(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        // The contract says strings; a server that writes a small amount as a number is still understood.
        var text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString();
        return BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var wei)
            ? wei
            : throw new FormatException($"'{name}' is '{text}', not a whole number of wei.");
    }

    private static JsonElement Object(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.Object } value ? value : throw new FormatException($"'{name}' is not an object.");

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    // The wire writes snake_case (exceeded_deposit); the enums are PascalCase.
    private static T? Enumerated<T>(string? wire) where T : struct, Enum =>
        wire is not null && Enum.TryParse<T>(wire.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value) ? value : null;
}
