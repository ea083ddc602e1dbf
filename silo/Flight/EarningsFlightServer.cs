using System.Threading.Channels;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Server;
using Grpc.Core;
using OpenLedger.Economy.Earnings.Tables;

namespace OpenLedger.Silo.Flight;

/// <summary>
/// The earnings tables over Arrow Flight, so pyarrow, Polars, DuckDB or the CLI read them as Arrow record batches:
/// ListFlights lists <c>accruals</c>, <c>accounts</c> and <c>epochs</c> with their schemas and row counts;
/// GetFlightInfo and GetSchema take a descriptor (<see cref="EarningsFlightNames"/>); DoGet streams a table from a
/// ticket. An unknown table is NOT_FOUND naming the tables that exist; a row the table's types cannot hold exactly
/// ends the stream with OUT_OF_RANGE naming the row.
/// </summary>
public sealed partial class EarningsFlightServer(IEarningsTableSource tables, ILogger<EarningsFlightServer> logger) : FlightServer
{
    /// <summary>The most rows one record batch carries: about 2 MB of accruals, under gRPC's default 4 MB message limit that most Flight clients keep.</summary>
    public const int MaxBatchRows = 8_192;

    /// <inheritdoc />
    public override Task ListFlights(FlightCriteria request, IAsyncStreamWriter<FlightInfo> responseStream, ServerCallContext context) =>
        Answer("ListFlights", null, async () =>
        {
            foreach (var table in EarningsTables.Names)
            {
                await responseStream.WriteAsync(await InfoAsync(table, context.CancellationToken));
            }
        });

    /// <inheritdoc />
    public override Task<FlightInfo> GetFlightInfo(FlightDescriptor request, ServerCallContext context) =>
        Answer("GetFlightInfo", request, () => InfoAsync(EarningsFlightNames.TableOf(request), context.CancellationToken));

    /// <inheritdoc />
    public override Task<Schema> GetSchema(FlightDescriptor request, ServerCallContext context) =>
        Answer("GetSchema", request, () => Task.FromResult(EarningsTables.SchemaOf(EarningsFlightNames.TableOf(request))));

    /// <inheritdoc />
    public override Task DoGet(FlightTicket ticket, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context) =>
        Answer("DoGet", ticket, async () =>
        {
            var table = EarningsFlightNames.TableOf(ticket);
            // The schema goes first, so an empty table still tells the reader its columns.
            await responseStream.SetupStream(EarningsTables.SchemaOf(table));
            await StreamAsync(table, responseStream, context.CancellationToken);
        });

    // The next batches are built (and the grain's next page fetched) while the current one is sent: a hand-off of two
    // batches between a reader of the source and this call's writer.
    private async Task StreamAsync(string table, FlightServerRecordBatchStreamWriter responseStream, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var handOff = Channel.CreateBounded<RecordBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in tables.ReadAsync(table, stop.Token))
                {
                    await handOff.Writer.WriteAsync(batch, stop.Token);
                }
            }
            finally
            {
                handOff.Writer.Complete();
            }
        }, stop.Token);
        try
        {
            await foreach (var batch in handOff.Reader.ReadAllAsync(stop.Token))
            {
                using (batch)
                {
                    await responseStream.WriteAsync(batch);
                }
            }
        }
        catch
        {
            // A failed send stops the reading, and is the failure to report.
            await stop.CancelAsync();
            await reading.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
        // A failed read ends the loop above and surfaces here, as it was thrown.
        await reading;
    }

    private async Task<FlightInfo> InfoAsync(string table, CancellationToken cancellation)
    {
        var rows = await tables.CountAsync(table, cancellation);
        var endpoint = new FlightEndpoint(EarningsFlightNames.Ticket(table), []);
        // No locations: the ticket is redeemed on this same endpoint. Byte size is not known ahead (-1).
        return new FlightInfo(EarningsTables.SchemaOf(table), EarningsFlightNames.Descriptor(table), [endpoint], rows, -1);
    }

    private Task Answer(string call, object? subject, Func<Task> body) => Answer(call, subject, async () =>
    {
        await body();
        return true;
    });

    // Flight clients see gRPC statuses: the grid's typed errors become statuses with their message and code kept.
    private async Task<T> Answer<T>(string call, object? subject, Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (UnknownEarningsTableException e)
        {
            throw Refusal(StatusCode.NotFound, e);
        }
        catch (WeiNotRepresentableException e)
        {
            LogRowRefused(logger, e.Table, e.Row, e.Message);
            throw Refusal(StatusCode.OutOfRange, e);
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            LogCallFailed(logger, call, Describe(subject), e);
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"The earnings tables could not be read ({e.GetType().Name}: {e.Message}); try again when the grid is up."));
        }
    }

    private static RpcException Refusal(StatusCode status, EarningsTableException error) =>
        new(new Status(status, error.Message), new Metadata { { EarningsTableException.CodeTrailer, error.Code } });

    private static string Describe(object? subject) => subject switch
    {
        FlightDescriptor d when d.Type == FlightDescriptorType.Path => string.Join('/', d.Paths),
        FlightDescriptor d => d.Command.ToStringUtf8(),
        FlightTicket t => t.Ticket.ToStringUtf8(),
        _ => "all tables",
    };

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Earnings table {Table} refused row {Row}: {Problem}")]
    private static partial void LogRowRefused(ILogger logger, string table, long row, string problem);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Flight {Call} for {Subject} failed")]
    private static partial void LogCallFailed(ILogger logger, string call, string subject, Exception error);
}
