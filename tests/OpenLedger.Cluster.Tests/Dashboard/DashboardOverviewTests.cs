using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenLedger.Cluster.Tests.Dashboard;

/// <summary>The overview page in headless Chromium against the silo's JSON API: its numbers, its chart, its earnings.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardOverviewTests(DashboardGrid grid)
{
    private static readonly LocatorAssertionsToHaveAttributeOptions _wait = new() { Timeout = 60_000 };

    [Fact]
    public async Task The_overview_shows_the_numbers_the_api_returns()
    {
        using var http = grid.Operator();
        var answer = await CompleteAsync(http, "Phishing wave");
        var page = await grid.PageAsync();
        await page.GotoAsync("/dashboard");
        foreach (var panel in new[] { "#cluster", "#rate", "#datanets", "#models", "#inferences" })
        {
            await Expect(page.Locator(panel)).ToHaveAttributeAsync("data-state", "ready", _wait);
        }

        var cluster = await http.GetFromJsonAsync<JsonElement>("/v1/grid/cluster");
        var datanets = await http.GetFromJsonAsync<JsonElement>("/v1/grid/datanets");
        var models = await http.GetFromJsonAsync<JsonElement>("/v1/grid/models");
        var served = (await http.GetFromJsonAsync<JsonElement>("/v1/models")).GetProperty("data").EnumerateArray().ToList();
        var adapters = served.Where(m => m.GetProperty("base_model").ValueKind == JsonValueKind.String).ToList();
        var onDevice = adapters.Count(m => m.GetProperty("residency").GetString() == "device");

        Assert.Equal(1, cluster.GetProperty("silos").GetArrayLength());
        // A silo configured with no roles hosts every role.
        Assert.Equal(["serving", "training", "attribution", "ledger"],
            cluster.GetProperty("silos")[0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(datanets.GetProperty("total").GetInt32(), cluster.GetProperty("datanets").GetInt32());
        Assert.Equal(models.GetProperty("total").GetInt32(), cluster.GetProperty("models").GetInt32());
        Assert.Equal(adapters.Count, cluster.GetProperty("adapters").GetProperty("deployed").GetInt32());
        Assert.Equal(onDevice, cluster.GetProperty("adapters").GetProperty("device").GetInt32());
        Assert.True(datanets.GetProperty("total").GetInt32() >= 1 && models.GetProperty("total").GetInt32() >= 1 && adapters.Count >= 1);

        await Expect(page.Locator("#stat-silos")).ToHaveAttributeAsync("data-value", "1");
        await Expect(page.Locator("#stat-datanets")).ToHaveAttributeAsync("data-value", datanets.GetProperty("total").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#stat-models")).ToHaveAttributeAsync("data-value", models.GetProperty("total").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#stat-adapters")).ToHaveAttributeAsync("data-value", adapters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#stat-resident")).ToHaveAttributeAsync("data-value", onDevice.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#datanet-table tbody tr")).ToHaveCountAsync(datanets.GetProperty("data").GetArrayLength());
        await Expect(page.Locator("#model-list article.model")).ToHaveCountAsync(models.GetProperty("data").GetArrayLength());

        // The answer just served is listed with its attribution, once computed.
        var listed = page.Locator($"li.inference[data-inference='{answer}']");
        await Expect(listed.Locator(".attribution-status")).ToHaveAttributeAsync("data-status", "complete", _wait);
        var record = await http.GetFromJsonAsync<JsonElement>($"/v1/attributions/{answer}");
        await Expect(listed.Locator("tr.contributor")).ToHaveCountAsync(record.GetProperty("contributors").GetArrayLength());

        // A model's provenance is on the page as the API returns it.
        var model = models.GetProperty("data")[0];
        var article = page.Locator($"article.model[data-model='{model.GetProperty("id").GetString()}']");
        await Expect(article).ToContainTextAsync(model.GetProperty("base_model").GetString()!);
        await Expect(article).ToContainTextAsync(model.GetProperty("owner").GetString()!);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_screenshot_of_the_overview_shows_the_rate_chart_in_its_series_colour()
    {
        using var http = grid.Operator();
        await CompleteAsync(http, "Credential harvesting");
        var page = await grid.PageAsync();
        await page.GotoAsync("/dashboard");
        await Expect(page.Locator("#rate")).ToHaveAttributeAsync("data-state", "ready", _wait);
        var line = page.Locator("#rate-chart svg.chart g.series polyline");
        await Expect(line).ToHaveCountAsync(1);
        var color = await page.Locator("#rate-chart svg.chart g.series").GetAttributeAsync("data-color");
        Assert.Equal("#2563eb", color);

        var png = PngImage.Decode(await page.ScreenshotAsync());
        Assert.Equal((DashboardGrid.Viewport.Width, DashboardGrid.Viewport.Height), (png.Width, png.Height));
        var box = (await page.Locator("#rate-chart svg.chart").BoundingBoxAsync())!;
        var (seriesPixels, colours) = Survey(png, box, (0x25, 0x63, 0xeb));
        // The line is drawn 2.5 px wide across the plot: hundreds of pixels of its colour, among axes, ticks and gridlines.
        Assert.True(seriesPixels > 200, $"only {seriesPixels} pixels of the series colour in the chart");
        Assert.True(colours > 8, $"the chart area holds only {colours} colours: blank?");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_earnings_panel_shows_an_accounts_wei_as_the_earnings_api_returns_it()
    {
        // A paid answer, so that contributors and the model's owner earn.
        var (_, key) = await grid.PayingAgentAsync(5 * DashboardGrid.Open);
        using var agent = grid.Http(key);
        var answer = await CompleteAsync(agent, "Phishing wave c0 1");
        using var http = grid.Operator();
        var record = await Poll.UntilAsync(() => http.GetFromJsonAsync<JsonElement>($"/v1/attributions/{answer}"),
            r => r.GetProperty("status").GetString() != "pending" && r.TryGetProperty("epoch", out var e) && e.ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(90));
        var contributors = record.GetProperty("contributors");
        var account = contributors.GetArrayLength() > 0
            ? contributors[0].GetProperty("contributor").GetString()!
            : (await http.GetFromJsonAsync<JsonElement>("/v1/grid/models")).GetProperty("data")[0].GetProperty("owner").GetString()!;
        // The read model hears of the charge just after it is made.
        var view = await Poll.UntilAsync(() => http.GetFromJsonAsync<JsonElement>($"/v1/earnings/accounts/{account}"),
            v => v.GetProperty("accruedWei").GetString() != "0");
        Assert.NotEqual("0", view.GetProperty("accruedWei").GetString());

        var page = await grid.PageAsync();
        await page.GotoAsync("/dashboard");
        await Expect(page.Locator("#datanets")).ToHaveAttributeAsync("data-state", "ready", _wait);
        await page.Locator("#earnings-account").FillAsync(account);
        await page.Locator("#earnings-account-form button").ClickAsync();
        await Expect(page.Locator("#earn-accrued")).ToHaveAttributeAsync("data-wei", view.GetProperty("accruedWei").GetString()!, _wait);
        await Expect(page.Locator("#earn-posted")).ToHaveAttributeAsync("data-wei", view.GetProperty("postedWei").GetString()!, _wait);
        await Expect(page.Locator("#earn-claimable")).ToHaveAttributeAsync("data-wei", view.GetProperty("claimableWei").GetString()!, _wait);
        await Expect(page.Locator("#earnings")).ToHaveAttributeAsync("data-state", "ready", _wait);
        // The account's own series is drawn, one point per epoch it earned in.
        var history = await http.GetFromJsonAsync<JsonElement>($"/v1/earnings/accounts/{account}/epochs");
        await Expect(page.Locator("#earnings-contributors-chart g.series").First.Locator("circle.point")).ToHaveCountAsync(history.GetArrayLength());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task When_the_earnings_api_fails_its_panels_say_there_are_no_earnings_yet_and_the_rest_still_works()
    {
        var page = await grid.PageAsync();
        // As a silo without the earnings read model answers, or one whose read model is down.
        await page.RouteAsync("**/v1/earnings/**", route => route.FulfillAsync(new() { Status = 404, ContentType = "text/plain", Body = "" }));
        await page.GotoAsync("/dashboard");
        await Expect(page.Locator("#earnings")).ToHaveAttributeAsync("data-state", "empty", _wait);
        await Expect(page.Locator("#earnings .state-message")).ToContainTextAsync("No earnings yet");
        await Expect(page.Locator("#earnings-datanets-state")).ToContainTextAsync("No earnings yet");
        await Expect(page.Locator("#epochs-earnings-note")).ToContainTextAsync("not available");
        Assert.Null(await page.Locator("#earn-accrued").GetAttributeAsync("data-wei"));
        foreach (var panel in new[] { "#cluster", "#datanets", "#models" })
        {
            await Expect(page.Locator(panel)).ToHaveAttributeAsync("data-state", "ready", _wait);
        }

        await page.UnrouteAllAsync();
        await page.RouteAsync("**/v1/earnings/**", route => route.FulfillAsync(new() { Status = 503, ContentType = "application/json",
            Body = "{\"error\": {\"message\": \"The earnings read model is catching up.\", \"type\": \"server_error\", \"param\": null, \"code\": \"unavailable\"}}" }));
        await page.ReloadAsync();
        await Expect(page.Locator("#earnings")).ToHaveAttributeAsync("data-state", "error", _wait);
        await Expect(page.Locator("#earnings .state-message")).ToContainTextAsync("The earnings read model is catching up.");
        await page.Context.CloseAsync();
    }

    // Serves one answer of the priced adapter; returns its inference id.
    private async Task<string> CompleteAsync(HttpClient http, string prompt)
    {
        using var response = await http.PostAsJsonAsync("/v1/completions", new { model = grid.Model, prompt, max_tokens = 8, temperature = 0 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    // Pixels within the box near `colour`, and how many distinct colours the box holds.
    private static (int Matching, int Colours) Survey(PngImage png, LocatorBoundingBoxResult box, (int R, int G, int B) colour)
    {
        var matching = 0;
        var colours = new HashSet<int>();
        for (var y = (int)box.Y; y < Math.Min(png.Height, (int)(box.Y + box.Height)); y++)
        {
            for (var x = (int)box.X; x < Math.Min(png.Width, (int)(box.X + box.Width)); x++)
            {
                var (r, g, b) = png[x, y];
                colours.Add((r << 16) | (g << 8) | b);
                if (Math.Abs(r - colour.R) <= 12 && Math.Abs(g - colour.G) <= 12 && Math.Abs(b - colour.B) <= 12)
                {
                    matching++;
                }
            }
        }
        return (matching, colours.Count);
    }
}
