using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;
using OpenLedger.Economy.Earnings.Tables;

namespace OpenLedger.Client.Export;

/// <summary>
/// Reads the grid's earnings tables from a silo's Arrow Flight endpoint (<c>OpenLedger:Silo:FlightPort</c>): the
/// tables it lists, and any one of them as a stream of record batches. Refusals come back typed: an unknown table as
/// <see cref="UnknownEarningsTableException"/>, the rest as <see cref="EarningsExportException"/> with the endpoint's code.
/// </summary>
public sealed class EarningsFlightClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly FlightClient _flight;

    /// <summary>A client of the endpoint at <paramref name="address"/>, e.g. <c>http://127.0.0.1:8815</c>.</summary>
    public EarningsFlightClient(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address;
        // A record batch of accruals can pass gRPC's default 4 MB; the endpoint decides batch sizes, not this client.
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        _flight = new FlightClient(_channel);
    }

    /// <summary>The endpoint.</summary>
    public Uri Address { get; }

    /// <summary>The address in <c>OPENLEDGER_FLIGHT_URL</c> (set by `./openledger up`), or the default <c>http://127.0.0.1:8815</c>.</summary>
    public static Uri DefaultAddress => new(Environment.GetEnvironmentVariable("OPENLEDGER_FLIGHT_URL") is { Length: > 0 } url ? url : "http://127.0.0.1:8815");

    /// <summary>Every table the endpoint lists, with schema and row count.</summary>
    public async Task<IReadOnlyList<EarningsTableInfo>> ListAsync(CancellationToken cancellation = default)
    {
        var tables = new List<EarningsTableInfo>();
        await Guard(null, async () =>
        {
            using var call = _flight.ListFlights(new FlightCriteria(), null, null, cancellation);
            while (await call.ResponseStream.MoveNext(cancellation))
            {
                tables.Add(Describe(call.ResponseStream.Current));
            }
        });
        return tables;
    }

    /// <summary><paramref name="table"/>'s schema and rows now.</summary>
    public async Task<EarningsTableInfo> InfoAsync(string table, CancellationToken cancellation = default)
    {
        FlightInfo? info = null;
        await Guard(table, async () => info = await _flight.GetInfo(Descriptor(table), null, null, cancellation));
        return Describe(info!);
    }

    /// <summary><paramref name="table"/>'s rows as record batches, first to last, as the endpoint streams them.</summary>
    public async IAsyncEnumerable<RecordBatch> ReadAsync(string table, [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var info = await InfoAsync(table, cancellation);
        var ticket = new FlightTicket($"{EarningsTables.Dataset}/{info.Table}");
        using var call = _flight.GetStream(ticket, null, null, cancellation);
        while (true)
        {
            var more = false;
            await Guard(table, async () => more = await call.ResponseStream.MoveNext(cancellation));
            if (!more)
            {
                yield break;
            }
            yield return call.ResponseStream.Current;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();

    private static FlightDescriptor Descriptor(string table) => FlightDescriptor.CreatePathDescriptor(EarningsTables.Dataset, table);

    private static EarningsTableInfo Describe(FlightInfo info) =>
        new(info.Descriptor.Paths.Last(), info.Schema, info.TotalRecords);

    // The endpoint's gRPC statuses back into the grid's typed errors.
    private async Task Guard(string? table, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && table is not null)
        {
            throw new UnknownEarningsTableException(table);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal && e.Trailers.GetValue(EarningsTableException.CodeTrailer) is null
            && e.Status.DebugException is not null)
        {
            throw new EarningsExportException("flight_unavailable",
                $"Cannot reach the earnings Flight endpoint at {Address} ({e.Status.Detail}). Start a silo with a Flight port (`./openledger silo start` opens 8815) or pass --flight.", e);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new EarningsExportException(e.Trailers.GetValue(EarningsTableException.CodeTrailer) ?? "flight_" + e.StatusCode.ToString().ToLowerInvariant(), e.Status.Detail, e);
        }
    }
}
