using System.Net;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;
using OpenLedger.Client.Export;
using OpenLedger.Economy;
using OpenLedger.Economy.Earnings;
using OpenLedger.Economy.Earnings.Tables;
using OpenLedger.Economy.Fees;
using OpenLedger.Silo.Flight;

namespace OpenLedger.Cluster.Tests.Earnings;

/// <summary>
/// A row whose wei decimal128(38, 0) cannot hold: the index accepts any uint256 amount, so the Flight endpoint must
/// refuse the table rather than round it. Served from an index in this process, since no ledger could charge such a fee.
/// </summary>
public sealed class EarningsFlightRefusalTests
{
    private const string Beyond = "10000000000000000000000000000000000000000";

    [Fact]
    public async Task A_wei_beyond_decimal128_ends_the_stream_out_of_range_naming_its_row_and_the_export_leaves_no_file()
    {
        var index = new EarningsIndex();
        var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        index.Apply(new InferenceCharged("inf-ordinary", 1, at, null, "model-a", null, "30",
        [
            new(Account.Zero, AccrualRole.Burn, "10"),
            new(Address(1), AccrualRole.Protocol, "20"),
        ]));
        index.Apply(new InferenceCharged("inf-huge", 1, at.AddSeconds(1), null, "model-a", null, "10000000000000000000000000000000000000005",
        [
            new(Account.Zero, AccrualRole.Burn, "5"),
            new(Address(2), AccrualRole.ModelDeveloper, Beyond),
        ]));
        await using var host = await EarningsFlightHost.StartAsync(new IndexEarningsTables(index), new IPEndPoint(IPAddress.Loopback, 0));
        using var channel = GrpcChannel.ForAddress(host.Address);
        var flight = new FlightClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = flight.GetStream(new FlightTicket("earnings/accruals"));
            while (await call.ResponseStream.MoveNext())
            {
            }
        });

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Assert.Equal("wei_not_representable", error.Trailers.GetValue(EarningsTableException.CodeTrailer));
        Assert.Contains($"Row 3 of the accruals table (inference inf-huge, recipient {Address(2)}) has wei '{Beyond}'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("41 digits", error.Status.Detail, StringComparison.Ordinal);

        using var client = new EarningsFlightClient(host.Address);
        var path = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.arrow");
        var typed = await Assert.ThrowsAsync<EarningsExportException>(() => EarningsFileExport.WriteAsync(client, "accruals", EarningsFileFormat.Arrow, path));
        Assert.Equal("wei_not_representable", typed.Code);
        Assert.Contains("Row 3 of the accruals table", typed.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path) || File.Exists(path + ".partial"));
    }

    private static string Address(int n) => "0x" + n.ToString("x40", System.Globalization.CultureInfo.InvariantCulture);
}
