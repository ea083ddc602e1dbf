using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OpenLedger.Silo.Flight;

/// <summary>
/// A small gRPC server of its own for <see cref="EarningsFlightServer"/>: Kestrel on one address, HTTP/2 only, since
/// gRPC needs HTTP/2 and without TLS a listener cannot offer HTTP/1 and HTTP/2 on one port. Kept apart from the
/// silo's HTTP/1 API, whose port and pipeline it leaves untouched.
/// </summary>
public sealed class EarningsFlightHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EarningsFlightHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where Flight clients connect, e.g. <c>http://127.0.0.1:8815</c> (<c>grpc://</c> to pyarrow).</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts serving <paramref name="tables"/> on <paramref name="endpoint"/> (port 0 picks a free one); logs go to
    /// <paramref name="loggerFactory"/> when given.
    /// </summary>
    public static async Task<EarningsFlightHost> StartAsync(IEarningsTableSource tables, IPEndPoint endpoint, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(endpoint);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Nothing from the silo's own settings (its Urls, its Kestrel section) may reach this listener.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton<IHostLifetime, HostedByOwnerLifetime>();
        builder.Services.AddSingleton(tables);
        builder.Services.AddGrpc().AddFlightServer<EarningsFlightServer>();
        var app = builder.Build();
        app.MapFlightEndpoint();
        await app.StartAsync(cancellation);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new EarningsFlightHost(app, new Uri(bound));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
