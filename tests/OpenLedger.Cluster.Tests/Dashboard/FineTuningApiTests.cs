using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OpenLedger.Cluster.Tests.Dashboard;

/// <summary>The dashboard's HTTP routes refuse what they cannot do, each with a typed error naming the field at fault.</summary>
[Collection(DashboardCollection.Name)]
public sealed class FineTuningApiTests(DashboardGrid grid)
{
    [Theory]
    [InlineData("{\"base_model\": ", 400, null, "invalid_json")]
    [InlineData("[1, 2]", 400, null, "invalid_json")]
    [InlineData("{\"model_id\": \"m1\", \"datanets\": [\"{datanet}\"]}", 400, "base_model", "invalid_value")]
    [InlineData("{\"base_model\": \"{base}\", \"datanets\": [\"{datanet}\"]}", 400, "model_id", "invalid_value")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": []}", 400, "datanets", "invalid_value")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}@latest\"]}", 400, "datanets", "invalid_value")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}\"], \"hyperparameters\": {\"lr\": 0.1}}", 400, "hyperparameters.lr", "invalid_value")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}\"], \"hyperparameters\": {\"epochs\": \"three\"}}", 400, "hyperparameters.epochs", "invalid_value")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}\"], \"hyperparameters\": {\"epochs\": 0}}", 400, "hyperparameters", "invalid_training_job")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}\"], \"temperature\": 1}", 400, "temperature", "invalid_value")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"Not An Id\", \"datanets\": [\"{datanet}\"]}", 400, "model_id", "invalid_request")]
    [InlineData("{\"base_model\": \"no-such-base\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}\"]}", 404, "base_model", "unknown_base_model")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"no-such-datanet\"]}", 404, "datanets", "unknown_datanet")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}@99\"]}", 400, "datanets", "snapshot_unavailable")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}\"], \"owner\": \"0x0000000000000000000000000000000000000001\"}", 400, "signature", "invalid_value")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}@1\"], \"job_id\": \"signed-job\", \"owner\": \"0x0000000000000000000000000000000000000001\", \"signature\": \"0x00\"}", 400, "signature", "invalid_signature")]
    [InlineData("{\"base_model\": \"{base}\", \"model_id\": \"m1\", \"datanets\": [\"{datanet}\"], \"job_id\": \"Bad Job\"}", 400, "job_id", "invalid_request")]
    public async Task A_bad_fine_tuning_request_gets_a_typed_error(string body, int status, string? param, string code)
    {
        using var http = grid.Operator();
        var (baseModel, datanet) = await TinyChoicesAsync(http);
        var json = body.Replace("{base}", baseModel, StringComparison.Ordinal).Replace("{datanet}", datanet, StringComparison.Ordinal);
        using var response = await http.PostAsync("/v1/fine_tuning/jobs", new StringContent(json, Encoding.UTF8, "application/json"));
        await AssertErrorAsync(response, status, param, code);
    }

    [Theory]
    [InlineData("GET", "/v1/fine_tuning/jobs/no-such-job", null, 404, null, "unknown_training_job")]
    [InlineData("GET", "/v1/fine_tuning/jobs/Bad!Job", null, 400, "job_id", "invalid_request")]
    [InlineData("POST", "/v1/fine_tuning/jobs/no-such-job/cancel", "", 404, null, "unknown_training_job")]
    [InlineData("POST", "/v1/fine_tuning/jobs/no-such-job/publish", "{}", 404, null, "unknown_training_job")]
    [InlineData("POST", "/v1/fine_tuning/jobs/no-such-job/publish", "{\"price_per_1k_tokens_wei\": \"1.5\"}", 400, "price_per_1k_tokens_wei", "invalid_value")]
    [InlineData("POST", "/v1/fine_tuning/jobs/no-such-job/publish", "{\"pinned\": \"yes\"}", 400, "pinned", "invalid_value")]
    [InlineData("GET", "/v1/attributions/inf-no-such-answer/inclusion", null, 404, null, "inference_not_found")]
    [InlineData("GET", "/v1/attributions/not-an-inference/inclusion", null, 404, null, "inference_not_found")]
    [InlineData("GET", "/v1/grid/datanets?limit=0", null, 400, "limit", "invalid_value")]
    [InlineData("GET", "/v1/grid/models?offset=-1", null, 400, "offset", "invalid_value")]
    [InlineData("GET", "/v1/grid/datanets/no-such-datanet", null, 404, "datanets", "unknown_datanet")]
    public async Task A_bad_request_to_a_dashboard_route_gets_a_typed_error(string method, string path, string? body, int status, string? param, string code)
    {
        using var http = grid.Operator();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        await AssertErrorAsync(await http.SendAsync(request), status, param, code);
    }

    [Fact]
    public async Task Dashboard_routes_need_a_key_and_changes_need_the_operators()
    {
        using var anonymous = grid.Http(null);
        foreach (var path in new[] { "/v1/grid/cluster", "/v1/grid/datanets", "/v1/grid/models", "/v1/grid/inferences", "/v1/grid/epochs", "/v1/fine_tuning/jobs/x" })
        {
            await AssertErrorAsync(await anonymous.GetAsync(path), 401, null, "invalid_api_key");
        }
        await AssertErrorAsync(await anonymous.PostAsync("/v1/fine_tuning/jobs", JsonContent.Create(new { })), 401, null, "invalid_api_key");

        // An agent reads the grid but cannot spend its compute or act with the silo's model-owner key.
        var (_, key) = await grid.PayingAgentAsync(0);
        using var agent = grid.Http(key);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/v1/grid/cluster")).StatusCode);
        await AssertErrorAsync(await agent.PostAsync("/v1/fine_tuning/jobs", JsonContent.Create(new { })), 403, null, "operator_key_required");
        await AssertErrorAsync(await agent.PostAsync("/v1/fine_tuning/jobs/x/publish", JsonContent.Create(new { })), 403, null, "operator_key_required");
        await AssertErrorAsync(await agent.PostAsync("/v1/fine_tuning/jobs/x/cancel", null), 403, null, "operator_key_required");

        // The pages themselves need no key: they ask for one and hold the browser to this origin.
        using var dashboard = await anonymous.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", dashboard.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/dashboard/assets/nothing.js")).StatusCode);

        // The new routes are in the silo's OpenAPI description; the pages are not.
        var description = await anonymous.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/v1/grid/cluster", description, StringComparison.Ordinal);
        Assert.Contains("/v1/fine_tuning/jobs/{id}/publish", description, StringComparison.Ordinal);
        Assert.DoesNotContain("/dashboard/chat", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_a_job_that_has_not_completed_is_refused_and_a_taken_job_id_is_a_conflict()
    {
        using var http = grid.Operator();
        var (baseModel, datanet) = await TinyChoicesAsync(http);
        var jobId = "ftjob-cancel-" + Guid.NewGuid().ToString("N")[..6];
        var request = new { base_model = baseModel, model_id = "cancelled-" + Guid.NewGuid().ToString("N")[..6], datanets = new[] { datanet }, job_id = jobId,
            hyperparameters = new { epochs = 50, batch_size = 4, sequence_length = 64, lora_rank = 4, checkpoint_every = 1000, validation_fraction = 0.2 } };
        using var started = await http.PostAsJsonAsync("/v1/fine_tuning/jobs", request);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var cancelled = await (await http.PostAsync($"/v1/fine_tuning/jobs/{jobId}/cancel", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());

        await AssertErrorAsync(await http.PostAsJsonAsync($"/v1/fine_tuning/jobs/{jobId}/publish", new { }), 409, null, "job_not_completed");
        await AssertErrorAsync(await http.PostAsJsonAsync("/v1/fine_tuning/jobs", request with { model_id = "other-" + Guid.NewGuid().ToString("N")[..6] }), 409, "job_id", "training_job_exists");
    }

    private static async Task<(string Base, string Datanet)> TinyChoicesAsync(HttpClient http)
    {
        var baseModel = (await http.GetFromJsonAsync<JsonElement>("/v1/grid/base_models")).GetProperty("data")[0].GetProperty("id").GetString()!;
        var datanet = (await http.GetFromJsonAsync<JsonElement>("/v1/grid/datanets")).GetProperty("data").EnumerateArray()
            .First(d => d.GetProperty("snapshots").GetArrayLength() > 0).GetProperty("id").GetString()!;
        return (baseModel, datanet);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, int status, string? param, string code)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.Equal(param, error.GetProperty("param").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }
    }
}
