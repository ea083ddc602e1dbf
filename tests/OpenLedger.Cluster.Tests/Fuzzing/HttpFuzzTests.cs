using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Agents;
using OpenLedger.Economy.Agents;
using OpenLedger.Testing.Fuzzing;

namespace OpenLedger.Cluster.Tests.Fuzzing;

/// <summary>
/// The silo's HTTP surface fuzzed over the wire, against a real silo process: the OpenAI completion and chat bodies,
/// fine-tuning job and publish bodies, the agents' challenge and key bodies, earnings and grid path and query
/// values, and signed requests' headers. Every answer must be a 2xx or a 4xx with a JSON error naming the problem,
/// never a 5xx or a hang, and the silo must serve a valid completion after each campaign.
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed class HttpFuzzTests(AgentGrid grid)
{
    private static readonly TimeSpan _perInput = TimeSpan.FromSeconds(30);
    private static long _nonces;

    public static TheoryData<string> Surfaces =>
        ["completions", "chat", "fine_tuning", "publish", "agents/challenge", "agents/keys", "queries", "signed requests"];

    [Theory]
    [MemberData(nameof(Surfaces))]
    public Task The_silo_answers_every_fuzzed_request_with_a_typed_refusal(string surface) => RunAsync(surface, seed: 1401, mutants: 500, longRun: false);

    [Theory]
    [MemberData(nameof(Surfaces))]
    [Trait("Category", "Long")]
    public Task The_silo_answers_every_fuzzed_request_with_a_typed_refusal_long(string surface) =>
        // Every forged signature is evidence kept in the fuzz agent's state, which grows with each: fewer of those.
        RunAsync(surface, seed: 2401, mutants: surface == "signed requests" ? 10_000 : 30_000, longRun: true);

    private async Task RunAsync(string surface, int seed, int mutants, bool longRun)
    {
        using var operatorHttp = grid.Http(AgentGrid.OperatorKey);
        using var anonymous = grid.Http(null);
        // The fuzz agent is not rate limited here: its refusals must come from its requests, not its pace.
        await grid.Grid.Cluster.GetGrain<IAgentGrain>(AgentGrid.FuzzAgent).SetLimits(new AgentLimits(RequestsPerSecond: 1_000_000, Concurrency: 1_000));
        var baseModel = await BaseModelAsync(operatorHttp);
        var json = new JsonMutator(longestText: 20_000);
        var bodies = new OversizedBodyMutator(json);
        var (seeds, mutator, send) = surface switch
        {
            "completions" => (Seeds(new { model = baseModel, prompt = "Incident: ", max_tokens = 1, temperature = 0, seed = 1 },
                    new { model = "fuzz-no-such-model", prompt = new[] { "Alert" }, max_tokens = 4, temperature = 0.7, top_p = 0.9, stop = new[] { "\n" }, stream = true, timeout_ms = 5000, attribution = "async" }),
                (IMutator)bodies, Post(operatorHttp, "/v1/completions")),
            "chat" => (Seeds(new { model = baseModel, messages = new[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "Hi" } }, max_tokens = 1 },
                    new { model = "fuzz-no-such-model", messages = new[] { new { role = "user", content = "x" }, new { role = "assistant", content = "y" } }, stream = true, stop = "\n", seed = 7 }),
                bodies, Post(operatorHttp, "/v1/chat/completions")),
            "fine_tuning" => (Seeds(new { base_model = "fuzz-base", model_id = "fuzz-model", datanets = new[] { "fuzz-datanet@1" }, hyperparameters = new { epochs = 1, learning_rate = 0.001, lora_rank = 4, target_modules = new[] { "q_proj" } } },
                    new { base_model = "fuzz-base", model_id = "fuzz-model", datanets = new[] { "fuzz-datanet@1", "other-datanet@2" }, job_id = "fuzz-job", owner = AgentGrid.FuzzAgent, signature = "0x" + new string('1', 130) }),
                bodies, Post(operatorHttp, "/v1/fine_tuning/jobs")),
            "publish" => (Seeds(new { adapter_id = "fuzz-adapter", pinned = true, price_per_1k_tokens_wei = "1000" }, new { }),
                bodies, Post(operatorHttp, "/v1/fine_tuning/jobs/fuzz-no-such-job/publish")),
            "agents/challenge" => (Seeds(new { address = AgentGrid.FuzzAgent }, new { address = "0x52908400098527886E0F7030069857D2E4169EE7" }),
                bodies, Post(anonymous, "/v1/agents/challenge")),
            "agents/keys" => (Seeds(new { address = AgentGrid.FuzzAgent, challenge = $"OpenLedger Grid agent key\nAddress: {AgentGrid.FuzzAgent}\nNonce: 00\nExpires: 1", signature = "0x" + new string('2', 130), label = "fuzz" }),
                bodies, Post(anonymous, "/v1/agents/keys")),
            "queries" => (QuerySeeds(), json, QueryAsync(operatorHttp)),
            "signed requests" => (SignedSeeds(), json, SignedAsync()),
            _ => throw new ArgumentOutOfRangeException(nameof(surface), surface, "no such surface"),
        };
        var campaign = new FuzzCampaign($"http/{surface}", seed, mutants, _perInput, mutator, seeds);
        var tally = await campaign.RunAsync(send);
        FuzzReport.Record(tally, longRun);
        try
        {
            tally.AssertNoDefects();
        }
        catch (FuzzDefectException e)
        {
            var failures = grid.SiloLog.Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal))
                .Select(l => l.Trim().Length > 200 ? l.Trim()[..200] : l.Trim()).Distinct().TakeLast(8);
            throw new FuzzDefectException(e.Message + "\nsilo log:\n" + string.Join('\n', failures));
        }
        Assert.True(tally.Refused.Values.Sum() > 0, $"nothing refused in {tally.Inputs} inputs");

        // Still serving: a valid completion right after the campaign.
        var after = await operatorHttp.PostAsync("/v1/completions", new StringContent(
            JsonSerializer.Serialize(new { model = baseModel, prompt = "Still there?", max_tokens = 1, temperature = 0 }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static byte[][] Seeds(params object[] bodies) => [.. bodies.Select(b => JsonSerializer.SerializeToUtf8Bytes(b))];

    private static async Task<string> BaseModelAsync(HttpClient http)
    {
        var models = JsonDocument.Parse(await http.GetStringAsync("/v1/models")).RootElement.GetProperty("data");
        return models.EnumerateArray().First(m => m.GetProperty("residency").GetString() == "base").GetProperty("id").GetString()!;
    }

    private static Func<byte[], CancellationToken, Task<FuzzVerdict>> Post(HttpClient http, string path) => async (body, cancellation) =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // A body past the limits is refused before it is read; asking first lets the answer arrive before the upload.
        request.Headers.ExpectContinue = body.Length > 1 << 20;
        using var response = await http.SendAsync(request, cancellation);
        return await HttpVerdicts.JudgeAsync(response, cancellation);
    };

    // Path and query values, each escaped into its place so that the request stays on the route under test.
    private static readonly string[] _queryRoutes =
    [
        "/v1/earnings/accounts/{a}", "/v1/earnings/accounts/{a}/epochs/{b}/inferences?offset={q}&limit={r}", "/v1/earnings/datanets/{a}/top?count={q}",
        "/v1/earnings/{a}/{b}?epoch={q}", "/v1/earnings/{a}/{b}/epochs", "/v1/grid/datanets?offset={q}&limit={r}", "/v1/grid/models?offset={q}&limit={r}",
        "/v1/grid/datanets/{a}?limit={q}", "/v1/grid/inferences?limit={q}", "/v1/attributions/{a}", "/v1/fine_tuning/jobs/{a}",
    ];

    private static byte[][] QuerySeeds() =>
    [
        .. new object[]
        {
            new { route = 0, a = AgentGrid.FuzzAgent },
            new { route = 1, a = AgentGrid.FuzzAgent, b = "1", q = "0", r = "10" },
            new { route = 2, a = "fuzz-datanet", q = "10" },
            new { route = 3, a = "agents", b = AgentGrid.FuzzAgent, q = "1" },
            new { route = 4, a = "models", b = "fuzz-model" },
            new { route = 5, q = "0", r = "20" },
            new { route = 6, q = "0", r = "20" },
            new { route = 7, a = "fuzz-datanet", q = "5" },
            new { route = 8, q = "10" },
            new { route = 9, a = "inf-0123456789abcdef" },
            new { route = 10, a = "fuzz-job" },
        }.Select(v => JsonSerializer.SerializeToUtf8Bytes(v)),
    ];

    private static Func<byte[], CancellationToken, Task<FuzzVerdict>> QueryAsync(HttpClient http) => async (input, cancellation) =>
    {
        var values = Fields(input);
        var route = _queryRoutes[(int)(Math.Abs((long)(int.TryParse(values.GetValueOrDefault("route"), out var r) ? r : 0)) % _queryRoutes.Length)];
        var path = route;
        foreach (var name in new[] { "a", "b", "q", "r" })
        {
            // Control characters (even escaped) make Kestrel refuse the request target itself, before the silo's code.
            // Values are cut at 16 KB: past Kestrel's 8 KB request line (still answered 414) but short enough to be sent whole.
            var value = new string([.. (values.GetValueOrDefault(name) ?? "").Take(16_384).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c)]);
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }
        using var response = await http.GetAsync(path, cancellation);
        return await HttpVerdicts.JudgeAsync(response, cancellation);
    };

    // A signed request's parts; NOW, NONCE and SIGN stand for the current time, a fresh nonce and a true signature.
    private static byte[][] SignedSeeds() =>
    [
        .. new object[]
        {
            new { route = 0, authorization = "Bearer " + AgentGrid.FuzzAgentKey, timestamp = "NOW", nonce = "NONCE", signature = "SIGN", query = "?refresh=false", body = "" },
            new { route = 1, authorization = "Bearer " + AgentGrid.FuzzAgentKey, timestamp = "NOW", nonce = "NONCE", signature = "SIGN", query = "", body = "{\"model\":\"fuzz-no-such-model\",\"prompt\":\"x\",\"max_tokens\":1}" },
            new { route = 2, authorization = "Bearer " + AgentGrid.FuzzAgentKey, timestamp = "NOW", nonce = "00112233445566778899aabbccddeeff", signature = "0x" + new string('3', 128) + "1b", query = "", body = "" },
            new { route = 0, authorization = "Bearer olk_" + AgentGrid.FuzzAgent[2..] + "_0a1b2c3d_" + new string('A', 43), timestamp = "NOW", nonce = "NONCE", signature = "SIGN", query = "", body = "" },
        }.Select(v => JsonSerializer.SerializeToUtf8Bytes(v)),
    ];

    private Func<byte[], CancellationToken, Task<FuzzVerdict>> SignedAsync() => async (input, cancellation) =>
    {
        var values = Fields(input);
        var (method, path) = (int.TryParse(values.GetValueOrDefault("route"), out var r) ? Math.Abs((long)r) % 3 : 0) switch
        {
            0 => (HttpMethod.Get, "/v1/agent"),
            1 => (HttpMethod.Post, "/v1/completions"),
            _ => (HttpMethod.Get, "/v1/models"),
        };
        var pathAndQuery = path + Header(values.GetValueOrDefault("query") ?? "").Replace("#", "%23", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(values.GetValueOrDefault("body") ?? "");
        var timestamp = values.GetValueOrDefault("timestamp") is "NOW" or null ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : values["timestamp"]!;
        var nonce = values.GetValueOrDefault("nonce") is "NONCE" or null ? $"{Environment.ProcessId:x8}{Interlocked.Increment(ref _nonces):x16}" : values["nonce"]!;
        var signature = values.GetValueOrDefault("signature") ?? "";
        if (signature == "SIGN")
        {
            // Signed as the SDK signs: whatever the other parts became, the signature is true to them.
            signature = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? AgentSignatures.Sign(AgentSignatures.Request(method.Method, pathAndQuery, ms, nonce, AgentSignatures.BodyHash(body)), AgentGrid.FuzzAgentPrivateKey)
                : "0x";
        }
        using var request = new HttpRequestMessage(method, new Uri(grid.Url, pathAndQuery));
        request.Headers.TryAddWithoutValidation("Authorization", Header(values.GetValueOrDefault("authorization") ?? ""));
        request.Headers.TryAddWithoutValidation(AgentSignatures.TimestampHeader, Header(timestamp));
        request.Headers.TryAddWithoutValidation(AgentSignatures.NonceHeader, Header(nonce));
        request.Headers.TryAddWithoutValidation(AgentSignatures.SignatureHeader, Header(signature));
        if (method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var http = new HttpClient();
        using var response = await http.SendAsync(request, cancellation);
        return await HttpVerdicts.JudgeAsync(response, cancellation);
    };

    // Header values travel as printable ASCII: anything else is refused by the HTTP client or by Kestrel itself, before
    // the silo's code could answer.
    private static string Header(string value) => new([.. value.Select(c => c is >= ' ' and <= '~' ? c : '?')]);

    // The input's fields as text (a non-string value as its JSON); an input that is not a JSON object is one field, a.
    private static Dictionary<string, string?> Fields(byte[] input)
    {
        try
        {
            if (JsonNode.Parse(input) is JsonObject obj)
            {
                return obj.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString(), StringComparer.Ordinal);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Falls through: the raw text is the value.
        }
        return new Dictionary<string, string?>(StringComparer.Ordinal) { ["a"] = Encoding.UTF8.GetString(input) };
    }

    // Now and then a body past the silo's limits: 4.5 MB of whitespace (past the signed-body buffer) or 31 MB (past
    // the server's own limit), both still valid JSON.
    private sealed class OversizedBodyMutator(IMutator inner) : IMutator
    {
        public byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> seeds, Random random)
        {
            var body = inner.Mutate(seed, seeds, random);
            return random.Next(150) switch
            {
                0 => [.. Enumerable.Repeat((byte)' ', (9 << 20) / 2), .. body],
                1 => [.. Enumerable.Repeat((byte)' ', 31 << 20), .. body],
                _ => body,
            };
        }
    }
}
