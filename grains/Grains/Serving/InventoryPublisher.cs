using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OpenLedger.Grains.Serving;

/// <summary>Keeps this silo's entry in the serving inventory current, and removes it when the silo stops.</summary>
public sealed class InventoryPublisher(SiloInventory inventory, SiloServing serving, ILocalSiloDetails silo, IOptions<ServingHostOptions> options, TimeProvider clock)
    : BackgroundService
{
    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await inventory.WithdrawAsync(silo.SiloAddress.ToParsableString());
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The entry ages out by itself.
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.InventoryRefresh, clock);
        do
        {
            try
            {
                await inventory.PublishAsync(Offer());
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // Redis is away for a moment: placement falls back to the silos it can see; try again next tick.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private SiloOffer Offer()
    {
        var engines = serving.Engines.ToList();
        var free = engines.Count == 0 ? serving.AdapterPoolBytes : engines.Min(e => e.Engine.Stats.BudgetBytes - e.Engine.Stats.ResidentBytes);
        var memory = GC.GetGCMemoryInfo();
        return new SiloOffer(
            silo.SiloAddress.ToParsableString(),
            serving.Device,
            engines.Select(e => e.BaseModel).ToList(),
            free,
            Math.Max(0, memory.TotalAvailableMemoryBytes - Environment.WorkingSet),
            engines.Sum(e => e.Engine.Stats.Registered.Count),
            clock.GetUtcNow());
    }
}
