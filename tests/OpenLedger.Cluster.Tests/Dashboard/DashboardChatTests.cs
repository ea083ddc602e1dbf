using System.Net.Http.Json;
using System.Text.Json;
using Nethereum.Hex.HexConvertors.Extensions;
using OpenLedger.Economy;
using OpenLedger.Economy.Epochs;
using static Microsoft.Playwright.Assertions;

namespace OpenLedger.Cluster.Tests.Dashboard;

/// <summary>The chat page in headless Chromium: an answer streams, then shows its attribution and its proof of inclusion.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardChatTests(DashboardGrid grid)
{
    [Fact]
    public async Task A_chat_answer_shows_its_attribution_then_its_proof_of_inclusion_once_the_epoch_closes()
    {
        var page = await grid.PageAsync();
        await page.GotoAsync($"/dashboard/chat#model={grid.Model}");
        await Expect(page.Locator("#chat")).ToHaveAttributeAsync("data-state", "ready");
        await Expect(page.Locator("#chat-model")).ToHaveValueAsync(grid.Model);
        await page.Locator("#chat-input").FillAsync("Phishing wave c1 3");
        await page.Locator("#chat-send").ClickAsync();

        var turn = page.Locator("li.turn.assistant").Last;
        await Expect(turn).ToHaveAttributeAsync("data-state", "done", new() { Timeout = 120_000 });
        var id = (await turn.GetAttributeAsync("data-inference"))!;
        Assert.StartsWith("inf-", id, StringComparison.Ordinal);

        // What the page shows is the record the API serves: status, every contributor with its share, the spans marked.
        using var http = grid.Operator();
        var record = await http.GetFromJsonAsync<JsonElement>($"/v1/attributions/{id}");
        Assert.Equal("complete", record.GetProperty("status").GetString());
        await Expect(turn.Locator(".attribution-status")).ToHaveAttributeAsync("data-status", "complete");
        var contributors = record.GetProperty("contributors").EnumerateArray().ToList();
        Assert.NotEmpty(contributors);
        await Expect(turn.Locator("tr.contributor")).ToHaveCountAsync(contributors.Count);
        foreach (var (contributor, row) in contributors.Select((c, i) => (c, turn.Locator("tr.contributor").Nth(i))))
        {
            await Expect(row).ToHaveAttributeAsync("data-contributor", contributor.GetProperty("contributor").GetString()!);
            await Expect(row).ToHaveAttributeAsync("data-ppb", contributor.GetProperty("parts_per_billion").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var spans = record.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("text").GetString()!).ToList();
        var marks = await turn.Locator("mark.span").AllTextContentsAsync();
        Assert.Equal(spans.Count > 0, marks.Count > 0);
        Assert.All(marks, mark => Assert.Contains(spans, span => span.Contains(mark, StringComparison.Ordinal)));
        Assert.Equal(record.GetProperty("output").GetString(), await turn.Locator(".answer-text").TextContentAsync());

        // Until its epoch closes the proof is pending; then the page shows the proof the settlement grain holds.
        var proof = turn.Locator(".proof");
        await Expect(proof).ToHaveAttributeAsync("data-status", "pending");
        await Poll.UntilAsync(() => http.GetFromJsonAsync<JsonElement>($"/v1/attributions/{id}/inclusion"),
            p => p.GetProperty("epoch").ValueKind == JsonValueKind.Number, TimeSpan.FromSeconds(60));
        var closed = await grid.Grid.Cluster.GetGrain<ISettlementGrain>(ISettlementGrain.Key).CloseEpoch();
        await proof.Locator("button.check-again").ClickAsync();
        await Expect(proof).ToHaveAttributeAsync("data-status", "included");
        var inclusion = await http.GetFromJsonAsync<JsonElement>($"/v1/attributions/{id}/inclusion");
        Assert.Equal(closed.EpochId, inclusion.GetProperty("epoch").GetInt64());
        Assert.Equal("anchored", inclusion.GetProperty("stage").GetString());
        await Expect(proof.Locator(".root")).ToHaveTextAsync(inclusion.GetProperty("root").GetString()!);
        await Expect(proof.Locator(".anchor")).ToHaveTextAsync(inclusion.GetProperty("anchor_transaction").GetString()!);
        Assert.True(AttributionBatch.Verify(inclusion.GetProperty("root").GetString()!.HexToByteArray(), id, inclusion.GetProperty("record_hash").GetString()!,
            inclusion.GetProperty("proof").EnumerateArray().Select(p => p.GetString()!.HexToByteArray())));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Verbatim_spans_are_marked_where_they_stand_in_the_answer()
    {
        var page = await grid.PageAsync();
        await page.GotoAsync("/dashboard/chat");
        // The page's own module, given a record whose offsets drifted by one character for its second span.
        var marked = await page.EvaluateAsync<string[]>("""
            async () => {
              const { highlighted } = await import('/dashboard/assets/highlight.js');
              const p = highlighted('Credential harvesting pages mimic the VPN portal.', [
                { start: 0, end: 21, text: 'Credential harvesting', occurrences: 3, sources: [] },
                { start: 35, end: 49, text: 'the VPN portal', occurrences: 1, sources: [] },
              ]);
              return [...p.childNodes].map(n => (n.nodeName === 'MARK' ? '[' + n.textContent + ']' : n.textContent));
            }
            """);
        Assert.Equal(["[Credential harvesting]", " pages mimic ", "[the VPN portal]", "."], marked);
        await page.Context.CloseAsync();
    }
}
