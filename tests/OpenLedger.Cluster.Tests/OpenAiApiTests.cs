using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenLedger.Attribution;
using OpenLedger.Client;
using OpenLedger.Client.OpenAi;
using OpenLedger.Errors;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Serving;
using OpenLedger.Testing;

namespace OpenLedger.Cluster.Tests;

/// <summary>The OpenAI-compatible API of a real silo process: agent keys, streaming, OpenAI-shaped errors, and inference ids with their attribution.</summary>
public sealed class OpenAiApiTests : IAsyncLifetime
{
    private const string AgentKey = "test-agent-key-7f3a";
    private Azurite _storage = null!;
    private Redis _redis = null!;
    private SiloProcess _silo = null!;
    private HttpClient _http = null!;
    private string _adapterId = "";
    private string _baseModel = "";
    private GridClientOptions _gridOptions = null!;

    public async Task InitializeAsync()
    {
        _storage = await Azurite.StartAsync();
        _redis = await Redis.StartAsync();
        int port = LocalServer.FreePort(), gateway = LocalServer.FreePort();
        var clusterId = $"openai-{Guid.NewGuid():N}";
        _silo = SiloProcess.Start(port, LocalServer.FreePort(), gateway, [
            $"--OpenLedger:Silo:StorageConnectionString={_storage.ConnectionString}", $"--OpenLedger:Silo:RedisConnectionString={_redis.ConnectionString}",
            $"--OpenLedger:Silo:ClusterId={clusterId}", $"--OpenLedger:Agents:Keys:0={AgentKey}"]);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await _silo.WaitHealthyAsync(_http);
        _gridOptions = new GridClientOptions { ClusterId = clusterId, StorageConnectionString = _storage.ConnectionString, GatewayPort = gateway };
        await using var grid = await GridClient.ConnectAsync(_gridOptions);
        var baseInfo = await TinyBaseModels.ImportAsync(grid, seed: 31);
        _baseModel = baseInfo.Name;
        using var model = HfCheckpoint.Load(TinyBaseModels.Write(31));
        var adapter = SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 3, 0.2, baseInfo.Name);
        _adapterId = "agent-notes";
        await grid.Cluster.GetGrain<IAdapterGrain>(_adapterId).Deploy(new AdapterDeployment(baseInfo.Name, AdapterConfigJson: adapter.ConfigJson, AdapterWeights: adapter.Weights));
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _silo.TerminateAsync();
        _silo.Dispose();
        await _redis.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task Streamed_and_whole_completions_agree_and_models_show_residency()
    {
        var models = JsonDocument.Parse(await _http.GetStringAsync("/v1/models")).RootElement.GetProperty("data").EnumerateArray().ToList();
        var listed = models.Single(m => m.GetProperty("id").GetString() == _adapterId);
        Assert.Equal(_baseModel, listed.GetProperty("base_model").GetString());
        Assert.Contains(listed.GetProperty("residency").GetString(), new[] { "device", "host" });
        Assert.Contains(models, m => m.GetProperty("id").GetString() == _baseModel);

        var body = new { model = _adapterId, prompt = "Shift notes: the conveyor", max_tokens = 10, stream = true };
        using var response = await _http.PostAsync("/v1/completions", Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).ToList();
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        var streamed = string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));
        var last = chunks[^1];
        Assert.Contains(last.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), new[] { "stop", "length" });
        Assert.True(last.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);

        using var whole = await _http.PostAsync("/v1/completions", Json(body with { stream = false }));
        var text = JsonDocument.Parse(await whole.Content.ReadAsStringAsync()).RootElement.GetProperty("choices")[0].GetProperty("text").GetString();
        Assert.Equal(text, streamed);

        using var chat = await _http.PostAsync("/v1/chat/completions",
            Json(new { model = _adapterId, messages = new[] { new { role = "user", content = "Summarise the shift." } }, max_tokens = 6, temperature = 0 }));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var message = JsonDocument.Parse(await chat.Content.ReadAsStringAsync()).RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Bad_requests_get_openai_errors_naming_the_problem()
    {
        await AssertError(await _http.PostAsync("/v1/completions", Json(new { model = "no-such-adapter", prompt = "Hi" })), HttpStatusCode.NotFound, "model", "model_not_found");
        await AssertError(await _http.PostAsync("/v1/completions", Json(new { model = _adapterId, prompt = string.Concat(Enumerable.Repeat("word ", 300)), max_tokens = 8 })),
            HttpStatusCode.BadRequest, "prompt", "context_length_exceeded");
        await AssertError(await _http.PostAsync("/v1/completions", Json(new { model = _adapterId, prompt = "Hi", top_p = 0 })), HttpStatusCode.BadRequest, "top_p", "invalid_value");
        await AssertError(await _http.PostAsync("/v1/completions", Json(new { model = _adapterId, prompt = "Hi", temperature = "warm" })), HttpStatusCode.BadRequest, "temperature", "invalid_value");
        await AssertError(await _http.PostAsync("/v1/completions", Json(new { model = _adapterId })), HttpStatusCode.BadRequest, "prompt", "invalid_value");
        await AssertError(await _http.PostAsync("/v1/completions", new StringContent("{\"model\": ", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, null, "invalid_json");
        await AssertError(await _http.PostAsync("/v1/chat/completions", Json(new { model = _adapterId, messages = new[] { new { role = "robot", content = "Hi" } } })),
            HttpStatusCode.BadRequest, "messages[0].role", "invalid_value");

        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };
        await AssertError(await anonymous.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, null, "invalid_api_key");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-key");
        await AssertError(await anonymous.PostAsync("/v1/completions", Json(new { model = _adapterId, prompt = "Hi" })), HttpStatusCode.Unauthorized, null, "invalid_api_key");

        // None of that disturbed serving.
        using var ok = await _http.PostAsync("/v1/completions", Json(new { model = _adapterId, prompt = "Hi", max_tokens = 2 }));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Answers_name_their_inference_whose_attribution_is_served_and_unknown_ids_are_404()
    {
        using var whole = await _http.PostAsync("/v1/completions", Json(new { model = _adapterId, prompt = "Shift notes: the conveyor", max_tokens = 6 }));
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var answer = JsonDocument.Parse(await whole.Content.ReadAsStringAsync()).RootElement;
        var id = answer.GetProperty("id").GetString()!;
        Assert.StartsWith("inf-", id);
        Assert.Equal(id, Assert.Single(whole.Headers.GetValues("X-OpenLedger-Inference")));
        Assert.False(answer.TryGetProperty("openledger_attribution", out _));

        // Attribution runs after the answer: pending, or already found to have no training data behind it.
        using (var read = await _http.GetAsync($"/v1/attributions/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            var record = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("attribution", record.GetProperty("object").GetString());
            Assert.Equal(id, record.GetProperty("inference_id").GetString());
            Assert.Equal(_adapterId, record.GetProperty("adapter_id").GetString());
            Assert.Equal(answer.GetProperty("choices")[0].GetProperty("text").GetString(), record.GetProperty("output").GetString());
            Assert.Contains(record.GetProperty("status").GetString(), new[] { "pending", "not_attributable" });
            Assert.Equal(JsonValueKind.Array, record.GetProperty("contributors").ValueKind);
        }

        // A stream's last chunk names its own inference.
        using (var streamed = await _http.PostAsync("/v1/completions", Json(new { model = _adapterId, prompt = "Shift notes:", max_tokens = 4, stream = true })))
        {
            var events = (await streamed.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).ToList();
            var last = JsonDocument.Parse(events[^2]["data: ".Length..]).RootElement;
            Assert.StartsWith("inf-", last.GetProperty("id").GetString());
            Assert.NotEqual(id, last.GetProperty("id").GetString());
        }

        // Synchronous attribution comes inside the answer; an uploaded adapter has no training data to attribute to.
        using (var sync = await _http.PostAsync("/v1/chat/completions",
            Json(new { model = _adapterId, messages = new[] { new { role = "user", content = "Summarise." } }, max_tokens = 4, attribution = "sync" })))
        {
            Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
            var root = JsonDocument.Parse(await sync.Content.ReadAsStringAsync()).RootElement;
            var attribution = root.GetProperty("openledger_attribution");
            Assert.Equal(root.GetProperty("id").GetString(), attribution.GetProperty("inference_id").GetString());
            Assert.Equal("not_attributable", attribution.GetProperty("status").GetString());
            Assert.Empty(attribution.GetProperty("contributors").EnumerateArray());
        }
        await AssertError(await _http.PostAsync("/v1/completions", Json(new { model = _adapterId, prompt = "Hi", attribution = "later" })),
            HttpStatusCode.BadRequest, "attribution", "invalid_value");

        await AssertError(await _http.GetAsync("/v1/attributions/inf-00000000000000000000000000000000"), HttpStatusCode.NotFound, null, "inference_not_found");
        await AssertError(await _http.GetAsync("/v1/attributions/cmpl-123"), HttpStatusCode.NotFound, null, "inference_not_found");
        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };
        await AssertError(await anonymous.GetAsync($"/v1/attributions/{id}"), HttpStatusCode.Unauthorized, null, "invalid_api_key");

        // The SDK reads the same: over HTTP, and from the grid, waiting until the record is final.
        using var agent = new OpenAiHttpClient(_http.BaseAddress!, AgentKey);
        var completion = await agent.CompleteAsync(_adapterId, "Shift notes:", new OpenAiSampling(MaxTokens: 3), attributeSync: true);
        Assert.StartsWith("inf-", completion.InferenceId);
        Assert.Equal(AttributionStatus.NotAttributable, completion.Attribution?.Status);
        Assert.Equal(completion.InferenceId, (await agent.GetAttributionAsync(completion.InferenceId!)).InferenceId);
        var missing = await Assert.ThrowsAsync<OpenAiApiException>(() => agent.GetAttributionAsync("inf-nothing"));
        Assert.Equal(("inference_not_found", 404), (missing.Code, missing.Status));

        await using var grid = await GridClient.ConnectAsync(_gridOptions);
        var final = await grid.Attribution.WaitAsync(id, TimeSpan.FromSeconds(60));
        Assert.Equal(AttributionStatus.NotAttributable, final.Status);
        Assert.NotNull(final.Error);
        await Assert.ThrowsAsync<UnknownInferenceException>(() => grid.Attribution.GetAsync("inf-nothing"));
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string? param, string code)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.Equal(param, error.GetProperty("param").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        }
    }
}
