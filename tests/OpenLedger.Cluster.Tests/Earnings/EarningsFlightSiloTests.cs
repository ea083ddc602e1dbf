using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using OpenLedger.Client.Agents;
using OpenLedger.Client.Export;
using OpenLedger.Client.OpenAi;
using OpenLedger.Economy;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Cluster.Tests.Earnings;

/// <summary>
/// The Flight endpoint as a silo process serves it (<c>OpenLedger:Silo:FlightPort</c>, beside the HTTP API): a paid
/// answer's charge, exported over Flight to an Arrow file, read back by the independent reader.
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed class EarningsFlightSiloTests(AgentGrid grid)
{
    [Fact]
    public async Task A_paid_answer_reaches_an_arrow_export_over_the_silos_flight_port_to_the_wei()
    {
        var account = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 5 * AgentGrid.Open);
        using var agent = await AgentClient.RegisterAsync(grid.Url, account.PrivateKey, "flight-reader");
        var answer = await agent.CompleteAsync(grid.Model, "{\"title\":\"Phishing wave c1 3\",\"severity\":", new OpenAiSampling(MaxTokens: 12));
        var fee = InferenceFee.Compute(answer.Usage!.TotalTokens, AgentGrid.PricePer1k);
        var earnings = grid.Grid.Cluster.GetGrain<IEarningsGrain>(IEarningsGrain.Key);
        // Charged once attributed, and the read model hears of a charge last.
        var paid = await Poll.UntilAsync(() => earnings.Totals(EarningsGrouping.Agent, account.Address, null), t => t.Wei != "0", TimeSpan.FromSeconds(90));
        Assert.Equal(fee.ToString(CultureInfo.InvariantCulture), paid.Wei);

        using var client = new EarningsFlightClient(grid.FlightUrl);
        var listed = await client.ListAsync();
        var path = Path.Combine(Path.GetTempPath(), $"earnings-{Guid.NewGuid():N}.arrow");
        try
        {
            var summary = await EarningsFileExport.WriteAsync(client, "accruals", EarningsFileFormat.Arrow, path);
            var report = await IndependentEarningsReader.ReadAsync(path);

            Assert.Equal(["accruals", "accounts", "epochs"], listed.Select(t => t.Table));
            Assert.Equal(summary.Rows, report.Rows);
            // The export is the table's first rows as of its start; the grain's same rows add up to the same wei.
            var rows = await earnings.AccrualRows(0, checked((int)summary.Rows));
            Assert.Equal(rows.Aggregate(BigInteger.Zero, (s, r) => s + Wei(r.Wei)), Wei(report.Sums["wei"]));
            Assert.Equal(fee, await InferenceWeiAsync(path, answer.InferenceId!));
        }
        finally
        {
            File.Delete(path);
        }
    }

    // The answer's rows in the file, summed: the burn, treasury, developer and contributor parts of its one fee.
    private static async Task<BigInteger> InferenceWeiAsync(string path, string inferenceId)
    {
        await using var file = File.OpenRead(path);
        using var reader = new ArrowFileReader(file);
        var sum = BigInteger.Zero;
        while (await reader.ReadNextRecordBatchAsync() is { } batch)
        {
            var ids = (StringArray)batch.Column("inference_id");
            var wei = (Decimal128Array)batch.Column("wei");
            for (var i = 0; i < batch.Length; i++)
            {
                if (ids.GetString(i) == inferenceId)
                {
                    sum += Wei(wei.GetString(i));
                }
            }
        }
        return sum;
    }

    private static BigInteger Wei(string wei) => BigInteger.Parse(wei, CultureInfo.InvariantCulture);
}
