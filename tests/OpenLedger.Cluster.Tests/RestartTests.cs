using OpenLedger.Client;
using OpenLedger.Contributors;
using OpenLedger.Datanets;

namespace OpenLedger.Cluster.Tests;

/// <summary>Its own cluster, since it stops every silo.</summary>
public sealed class RestartTests : IClassFixture<GridCluster>
{
    private readonly GridCluster _grid;

    public RestartTests(GridCluster grid) => _grid = grid;

    [Fact]
    public async Task Everything_accepted_survives_a_restart_of_every_silo()
    {
        var curator = ContributorKey.Generate();
        var alice = ContributorKey.Generate();
        var id = SampleDatanets.NewId("restart");
        await _grid.Client.Datanets.CreateAsync(id, curator.Address, SampleDatanets.Curated(curator));
        var kept = await _grid.Client.Datanets.ContributeAsync(alice, id, SampleDatanets.Records(2, "kept"));
        var other = await _grid.Client.Datanets.ContributeAsync(alice, id, SampleDatanets.Records(1, "other"));
        await _grid.Client.Datanets.CurateAsync(curator, id, kept.Record.Id, approve: true, "");
        var snapshot = await _grid.Client.Datanets.SnapshotAsync(id);
        var before = await _grid.Client.Datanets.ListContributionsAsync(id);

        await _grid.RestartAsync();

        var datanets = _grid.Client.Datanets;
        Assert.Equal(before, await datanets.ListContributionsAsync(id));
        var info = await datanets.GetAsync(id);
        Assert.Equal(snapshot, Assert.Single(info.Snapshots));
        Assert.Equal(snapshot.Root, (await datanets.GetSnapshotAsync(id, 1)).Info.Root);
        Assert.Contains(await datanets.ListAsync(), d => d.Id == id);
        var profile = await _grid.Client.Cluster.GetGrain<IContributorGrain>(alice.Address).GetProfile();
        Assert.Equal(2, profile.Reputation.Submitted);
        Assert.Equal(1, profile.Reputation.Accepted);

        // Replay protection and duplicate detection come back from storage too.
        await Assert.ThrowsAsync<OpenLedger.Errors.NonceReplayedException>(() => _grid.Cluster.Client.GetGrain<IDatanetGrain>(id)
            .Contribute(alice.SignContribution(id, SampleDatanets.Records(1, "new"), SampleDatanets.Licence, other.Record.Nonce)));
        await Assert.ThrowsAsync<OpenLedger.Errors.DuplicatePayloadException>(() =>
            datanets.ContributeAsync(alice, id, SampleDatanets.Records(1, "other")));

        // Curation goes on where it stopped.
        var decided = await datanets.CurateAsync(curator, id, other.Record.Id, approve: true, "");
        Assert.Equal(ContributionStatus.Approved, decided.Status);
        Assert.Equal(2, (await datanets.SnapshotAsync(id)).Number);
    }
}
