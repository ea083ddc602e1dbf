using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace OpenLedger.Cluster.Tests.Dashboard;

/// <summary>The ModelFactory page in headless Chromium: launch a tiny fine-tune, watch its loss, publish its adapter.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ModelFactoryPageTests(DashboardGrid grid)
{
    [Fact]
    public async Task A_tiny_job_launched_from_the_page_shows_its_loss_points_and_is_published()
    {
        using var http = grid.Operator();
        var baseModel = (await http.GetFromJsonAsync<JsonElement>("/v1/grid/base_models")).GetProperty("data")[0].GetProperty("id").GetString()!;
        var datanet = (await http.GetFromJsonAsync<JsonElement>("/v1/grid/datanets")).GetProperty("data").EnumerateArray()
            .First(d => d.GetProperty("snapshots").GetArrayLength() > 0).GetProperty("id").GetString()!;
        var modelId = "mf-page-" + Guid.NewGuid().ToString("N")[..6];

        var page = await grid.PageAsync();
        await page.GotoAsync("/dashboard/modelfactory");
        await Expect(page.Locator("#factory-form")).ToHaveAttributeAsync("data-state", "ready");
        await page.Locator("#mf-base").SelectOptionAsync(baseModel);
        await page.Locator("#mf-model-id").FillAsync(modelId);
        // The tiny model's settings, as the cluster tests train it.
        foreach (var (field, value) in new[] { ("#mf-epochs", "2"), ("#mf-lr", "0.01"), ("#mf-batch", "4"), ("#mf-seq", "64"), ("#mf-rank", "4"), ("#mf-alpha", "8"),
                     ("#mf-dropout", "0.1"), ("#mf-checkpoint", "2"), ("#mf-validation", "0.2"), ("#mf-seed", "7") })
        {
            await page.Locator(field).FillAsync(value);
        }
        await page.Locator($"#mf-datanets label[data-datanet='{datanet}'] input.mf-datanet").CheckAsync();
        await page.Locator("#mf-launch").ClickAsync();

        var job = page.Locator("#factory-job");
        await Expect(job).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(preparing|running|completed)$"), new() { Timeout = 30_000 });
        await Expect(page.Locator("#loss-chart circle.point").First).ToBeAttachedAsync(new() { Timeout = 120_000 });
        await Expect(job).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 240_000 });
        var jobId = (await job.GetAttributeAsync("data-job"))!;

        // Every point of the job's loss curve is on the chart, and the job trained what the form asked for.
        var status = await http.GetFromJsonAsync<JsonElement>($"/v1/fine_tuning/jobs/{jobId}");
        Assert.Equal(modelId, status.GetProperty("model_id").GetString());
        Assert.Equal(2, status.GetProperty("hyperparameters").GetProperty("epochs").GetInt32());
        Assert.Equal(4, status.GetProperty("hyperparameters").GetProperty("lora_rank").GetInt32());
        Assert.Equal(datanet, status.GetProperty("datanets")[0].GetProperty("datanet").GetString());
        var curve = status.GetProperty("loss_curve").GetArrayLength();
        Assert.True(curve >= 2, $"{curve} loss points");
        await Expect(page.Locator("#loss-chart circle.point")).ToHaveCountAsync(curve);

        await Expect(page.Locator("#pub-go")).ToBeEnabledAsync();
        await page.Locator("#pub-price").FillAsync("1000000000000000");
        await page.Locator("#pub-go").ClickAsync();
        await Expect(page.Locator("#factory-publish")).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 120_000 });
        await Expect(page.Locator("#pub-adapter-id")).ToHaveTextAsync(modelId);

        // The adapter is served, at the price the page set, and its model carries the job's provenance.
        var served = (await http.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == modelId);
        Assert.Equal(baseModel, served.GetProperty("base_model").GetString());
        Assert.Equal("1000000000000000", served.GetProperty("price_per_1k_tokens_wei").GetString());
        var model = (await http.GetFromJsonAsync<JsonElement>("/v1/grid/models")).GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == modelId);
        Assert.Equal(jobId, model.GetProperty("job_id").GetString());
        Assert.Equal(datanet, model.GetProperty("snapshots")[0].GetProperty("datanet").GetString());
        await page.Context.CloseAsync();
    }
}
