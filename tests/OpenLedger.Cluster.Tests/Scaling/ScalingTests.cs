using System.Collections.Concurrent;
using OpenLedger.Client;
using OpenLedger.Client.Cluster;
using OpenLedger.Cluster;
using OpenLedger.Contributors;
using OpenLedger.Economy;
using OpenLedger.Model.Checkpoints;
using OpenLedger.Model.Lora;
using OpenLedger.Model.Serving;
using OpenLedger.Model.Tokenization;
using OpenLedger.Serving;
using OpenLedger.Testing;

namespace OpenLedger.Cluster.Tests.Scaling;

/// <summary>Silos joining and leaving a grid that keeps serving, and silos split by role: real silo processes.</summary>
public sealed class ScalingTests
{
    private static readonly SamplingParameters _parameters = new(MaxTokens: 8);

    [Fact]
    public async Task Silos_join_and_leave_while_adapters_keep_serving_what_their_merged_models_say()
    {
        await using var fleet = await SiloFleet.StartAsync();
        var first = await fleet.AddAsync();
        var second = await fleet.AddAsync();
        await using var grid = await fleet.ConnectAsync();
        var baseInfo = await TinyBaseModels.ImportAsync(grid, seed: 41);
        using var model = HfCheckpoint.Load(TinyBaseModels.Write(41));
        var tokenizer = TextTokenizer.Gpt2();
        var adapters = Enumerable.Range(0, 4).ToDictionary(
            i => $"fleet-{i}-{Guid.NewGuid():N}"[..16],
            i => SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 100 + i, 0.3, baseInfo.Name));
        var expected = adapters.ToDictionary(a => a.Key, a => AdapterOutputs.Merged(model, tokenizer, a.Value, _parameters));
        foreach (var (id, adapter) in adapters)
        {
            await Adapter(grid, id).Deploy(new AdapterDeployment(baseInfo.Name, AdapterConfigJson: adapter.ConfigJson, AdapterWeights: adapter.Weights));
        }

        // Agents keep calling every adapter while silos come and go.
        var served = new ConcurrentBag<(string Id, string Text)>();
        var refused = new ConcurrentBag<Exception>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var id in adapters.Keys)
                {
                    try
                    {
                        served.Add((id, await AdapterOutputs.CollectAsync(Adapter(grid, id), _parameters)));
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // A call in flight on a silo that is shutting down may fail; the next one is placed again.
                        refused.Add(e);
                    }
                }
            }
        });

        var third = await fleet.AddAsync();
        // The client learns a new silo's grain classes (its roles) shortly after the silo becomes active.
        var three = await Poll.UntilAsync(() => grid.Membership.ListAsync(), m => m.Count(s => s.IsActive && s.Roles.Count > 0) == 3, TimeSpan.FromSeconds(60));
        Assert.Equal(3, three.Count(s => s.IsActive));
        Assert.All(three, s => Assert.Equal(GridRoles.All, s.Roles));

        // The silo holding the first adapter leaves gracefully; its adapters are placed again on the others.
        var home = await PlacedOn(grid, adapters.Keys.First());
        var leaving = new[] { first, second }.Single(s => s.Is(home));
        Assert.Equal(0, await leaving.Process.TerminateAsync());
        var left = await Poll.UntilAsync(() => grid.Membership.ListAsync(includeDead: true),
            m => m.Any(s => leaving.Is(s.Address) && s.Status == "Dead"), TimeSpan.FromSeconds(60));
        Assert.Contains(left, s => leaving.Is(s.Address) && s.Status == "Dead" && s.Roles.Count == 0);
        Assert.Equal(2, (await grid.Membership.ListAsync()).Count(s => s.IsActive));

        var servedBeforeEnd = served.Count;
        await Poll.UntilAsync(() => Task.FromResult(served.Count), n => n >= servedBeforeEnd + 2 * adapters.Count, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await load;

        // Every answer, before, during and after the change, is exactly what the adapter's merged model says.
        Assert.NotEmpty(served);
        Assert.All(served, s => Assert.Equal(expected[s.Id], s.Text));
        foreach (var id in adapters.Keys)
        {
            Assert.Equal(expected[id], await AdapterOutputs.CollectAsync(Adapter(grid, id), _parameters));
            var silo = await PlacedOn(grid, id);
            Assert.False(leaving.Is(silo), $"adapter {id} is still placed on the silo that left");
            Assert.Contains(new[] { first, second, third }.Where(s => s != leaving), s => s.Is(silo));
        }
        Assert.True(refused.Count <= adapters.Count * 2, $"{refused.Count} calls failed while one silo left: {string.Join("; ", refused.Select(e => e.GetType().Name + ": " + e.Message).Distinct())}");
    }

    [Fact]
    public async Task Roles_keep_serving_on_gpu_silos_and_the_ledger_on_cpu_silos_and_a_role_returns_when_its_silo_joins()
    {
        await using var fleet = await SiloFleet.StartAsync();
        var gpu = await fleet.AddAsync("Serving,Training");
        var cpu = await fleet.AddAsync("attribution, ledger");
        await using var grid = await fleet.ConnectAsync();

        var members = await Poll.UntilAsync(() => grid.Membership.ListAsync(), m => m.Count(s => s.IsActive && s.Roles.Count > 0) == 2, TimeSpan.FromSeconds(60));
        Assert.Equal([GridRole.Serving, GridRole.Training], Member(members, gpu).Roles);
        Assert.Equal([GridRole.Attribution, GridRole.Ledger], Member(members, cpu).Roles);

        var baseInfo = await TinyBaseModels.ImportAsync(grid, seed: 42);
        using var model = HfCheckpoint.Load(TinyBaseModels.Write(42));
        var adapter = SyntheticAdapters.Create(model, new LoraSettings(4, 8, 0, LoraSettings.AllTargets), 7, 0.3, baseInfo.Name);
        var id = $"role-{Guid.NewGuid():N}"[..16];
        await Adapter(grid, id).Deploy(new AdapterDeployment(baseInfo.Name, AdapterConfigJson: adapter.ConfigJson, AdapterWeights: adapter.Weights));
        Assert.True(gpu.Is(await PlacedOn(grid, id)), "the adapter must live on the serving silo");
        var earnings = grid.Cluster.GetGrain<IEarningsGrain>(IEarningsGrain.Key);
        await earnings.Status();
        Assert.True(cpu.Is(await PlacedOn(grid, earnings)), "the earnings read model must live on the ledger silo");

        // Without a ledger silo, ledger grains cannot be placed, and grains of no role still can.
        Assert.Equal(0, await cpu.Process.TerminateAsync());
        await Poll.UntilAsync(() => grid.Membership.ListAsync(), m => m.Count(s => s.IsActive) == 1, TimeSpan.FromSeconds(60));
        await Assert.ThrowsAnyAsync<Exception>(() => earnings.Status());
        var datanet = SampleDatanets.NewId("roles");
        Assert.Equal(datanet, (await grid.Datanets.CreateAsync(datanet, ContributorKey.Generate().Address, SampleDatanets.Open())).Id);

        // A new ledger silo joins, and the ledger is served again, from it.
        var cpu2 = await fleet.AddAsync("Attribution,Ledger");
        var status = await Poll.UntilAsync<EarningsStatusView?>(async () =>
        {
            try
            {
                return await earnings.Status();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return null;
            }
        }, s => s is not null, TimeSpan.FromSeconds(60));
        Assert.NotNull(status);
        Assert.True(cpu2.Is(await PlacedOn(grid, earnings)), "the earnings read model must live on the new ledger silo");
    }

    private static IAdapterGrain Adapter(GridClient grid, string id) => grid.Cluster.GetGrain<IAdapterGrain>(id);

    private static Task<string?> PlacedOn(GridClient grid, string adapterId) => PlacedOn(grid, Adapter(grid, adapterId));

    // Asked of every silo's catalog: the management grain's own lookup needs the grain's class on the silo it runs on,
    // which a silo without the role does not have.
    private static async Task<string?> PlacedOn(GridClient grid, IAddressable grain)
    {
        var activations = await grid.Cluster.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return activations.SingleOrDefault(a => a.GrainId == grain.GetGrainId())?.SiloAddress.ToParsableString();
    }

    private static SiloMember Member(IReadOnlyList<SiloMember> members, FleetSilo silo) => members.Single(m => silo.Is(m.Address));
}
