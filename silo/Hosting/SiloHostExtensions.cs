using Microsoft.Extensions.Options;
using OpenLedger.Grains.Agents;
using OpenLedger.Grains.Attribution;
using OpenLedger.Grains.Datanets;
using OpenLedger.Grains.Economy;
using OpenLedger.Grains.Serving;
using OpenLedger.Silo.Endpoints;
using OpenLedger.Silo.Flight;
using Prometheus;

namespace OpenLedger.Silo.Hosting;

/// <summary>Everything a silo process adds to its host, in one call from Program.cs.</summary>
public static class SiloHostExtensions
{
    // Orleans' meter has many instruments, several tagged per grain type or per silo pair; these stay useful while
    // keeping the number of series small.
    private static readonly string[] _orleansInstrumentPrefixes =
    [
        "orleans-catalog-activation",
        "orleans-gateway-connected-clients",
        "orleans-gateway-received",
        "orleans-messaging-processing",
        "orleans-membership-active",
        "orleans-app-requests",
        "orleans-storage",
    ];

    /// <summary>Binds and validates options, configures Orleans, metrics, health and shutdown.</summary>
    public static WebApplicationBuilder AddOpenLedgerSilo(this WebApplicationBuilder builder)
    {
        builder.AddSecretFiles();
        var section = builder.Configuration.GetSection(GridSiloOptions.Section);
        var options = section.Get<GridSiloOptions>() ?? new GridSiloOptions();
        // Orleans is configured while the host is built, so bad settings are reported now, by name, before anything starts.
        var validation = new GridSiloOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(GridSiloOptions.Section, typeof(GridSiloOptions), validation.Failures);
        }
        builder.Services.AddOptions<GridSiloOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GridSiloOptions>, GridSiloOptionsValidator>();
        builder.Services.AddOptions<DatanetOptions>().Bind(builder.Configuration.GetSection(DatanetOptions.Section))
            .Validate(d => d.MaxPayloadBytes > 0, $"{DatanetOptions.Section}:MaxPayloadBytes must be positive.")
            .ValidateOnStart();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);

        builder.Services.AddOptions<ServingHostOptions>().Bind(builder.Configuration.GetSection(ServingHostOptions.Section))
            .Validate(s => s.MaxBatch > 0 && s.AdapterPoolBytes > 0, $"{ServingHostOptions.Section}: MaxBatch and AdapterPoolBytes must be positive.")
            .Validate(s => s.MaxQueuedRequests > 0, $"{ServingHostOptions.Section}:MaxQueuedRequests must be positive: it is how many inference requests the silo holds at once.")
            .Validate(s => s.OverloadRetryAfter > TimeSpan.Zero, $"{ServingHostOptions.Section}:OverloadRetryAfter must be positive, e.g. 00:00:01.")
            .ValidateOnStart();
        builder.Services.AddOptions<AttributionOptions>().Bind(builder.Configuration.GetSection(AttributionOptions.Section))
            .Validate(a => a.ProjectionDimensions > 0 && a.ShardsPerDatanet > 0 && a.QueueCapacity > 0 && a.Workers > 0 && a.MinSpanTokens > 0,
                $"{AttributionOptions.Section}: ProjectionDimensions, ShardsPerDatanet, QueueCapacity, Workers and MinSpanTokens must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<EconomyOptions>().Bind(builder.Configuration.GetSection(EconomyOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EconomyOptions>, EconomyOptionsValidator>();
        // Binding failures throw so that RequestErrors answers them in the API's shape instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddOptions<AgentCredentialOptions>().Bind(builder.Configuration.GetSection(AgentCredentialOptions.Section));
        builder.Services.AddSingleton<AgentCredentials>();
        builder.Services.AddOptions<OpenLedger.Grains.Agents.AgentPolicyOptions>().Bind(builder.Configuration.GetSection(OpenLedger.Grains.Agents.AgentPolicyOptions.Section))
            .Validate(a => a.RequestsPerSecond > 0 && a.TokensPerSecond > 0 && a.Concurrency > 0 && a.FloodRefusals > 0 && a.DepositRefusals > 0,
                $"{OpenLedger.Grains.Agents.AgentPolicyOptions.Section}: rates, concurrency and refusal thresholds must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ModelRoutes>();
        builder.Services.AddSingleton<AgentDoor>();
        builder.Services.AddWebDashboard(builder.Configuration);
        var metrics = builder.Configuration.GetSection(MetricsOptions.Section);
        builder.Services.AddOptions<MetricsOptions>().Bind(metrics);
        if (metrics.Get<MetricsOptions>()?.RequireOperatorKey == true)
        {
            builder.AddOperatorPolicy($"{MetricsOptions.Section}:RequireOperatorKey");
        }

        builder.UseOrleans(silo => silo
            .AddOpenLedgerClustering(options)
            .AddOpenLedgerRoles(options)
            .AddOpenLedgerStorage(options.StorageConnectionString!)
            .AddOpenLedgerServing(options.RedisConnectionString!));
        builder.AddOpenLedgerDashboard();

        builder.Services.AddOpenApi();
        builder.Services.AddEarningsFlight(options);
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo");
        builder.Services.AddSingleton<GridMeterExporter>();
        ConfigureMetrics();
        return builder;
    }

    private static void ConfigureMetrics()
    {
        // The grid's meter has its own exporter (true counters); the adapter takes a filtered part of Orleans' meter.
        Metrics.ConfigureMeterAdapter(adapter => adapter.InstrumentFilterPredicate = instrument =>
            instrument.Meter.Name == "Microsoft.Orleans"
            && _orleansInstrumentPrefixes.Any(p => instrument.Name.StartsWith(p, StringComparison.Ordinal)));
    }
}
