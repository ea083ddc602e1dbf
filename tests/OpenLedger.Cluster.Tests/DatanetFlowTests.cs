using OpenLedger.Client;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Snapshots;

namespace OpenLedger.Cluster.Tests;

[Collection(GridClusterCollection.Name)]
public sealed class DatanetFlowTests(GridCluster grid)
{
    [Fact]
    public async Task Contributions_are_recorded_with_provenance_and_curated_into_a_verifiable_snapshot()
    {
        var owner = ContributorKey.Generate();
        var curator = ContributorKey.Generate();
        var alice = ContributorKey.Generate();
        var bob = ContributorKey.Generate();
        var id = SampleDatanets.NewId();
        var datanets = grid.Client.Datanets;

        await datanets.CreateAsync(id, owner.Address, SampleDatanets.Curated(curator));
        var first = await datanets.ContributeAsync(alice, id, SampleDatanets.Records(3, "a"));
        var second = await datanets.ContributeAsync(bob, id, SampleDatanets.Records(2, "b"));
        var third = await datanets.ContributeAsync(alice, id, SampleDatanets.Records(1, "c"));

        Assert.Equal(ContributionStatus.Pending, first.Record.Status);
        Assert.Equal(alice.Address, first.Record.Contributor);
        Assert.Equal(3, first.Record.RecordCount);
        Assert.Equal(SampleDatanets.Records(3, "a").Length, first.Record.SizeBytes);
        Assert.Equal(OpenLedger.Datanets.Keccak.HashHex(SampleDatanets.Records(3, "a")), first.Record.PayloadHash);
        Assert.EndsWith(first.Record.PayloadHash[2..], first.PayloadUri);
        Assert.True(second.Record.Sequence > first.Record.Sequence);

        await datanets.CurateAsync(curator, id, first.Record.Id, approve: true, "clear and well sourced");
        await datanets.CurateAsync(curator, id, third.Record.Id, approve: true, "");
        var rejected = await datanets.CurateAsync(curator, id, second.Record.Id, approve: false, "duplicate of an earlier report");
        Assert.Equal(ContributionStatus.Rejected, rejected.Status);
        Assert.Equal("duplicate of an earlier report", rejected.Reason);
        Assert.Equal(curator.Address, rejected.DecidedBy);

        var snapshot = await datanets.SnapshotAsync(id);
        Assert.Equal(2, snapshot.ContributionCount);
        Assert.Equal(4, snapshot.Records);
        var manifest = await datanets.GetSnapshotAsync(id, snapshot.Number);
        Assert.Equal([first.Record.Id, third.Record.Id], manifest.Members.Select(m => m.ContributionId));

        // The root is recomputed independently of the grain from the members it lists.
        var leaves = manifest.Members
            .Select(m => SnapshotLeaf.Hash(Hex.Decode(m.PayloadHash), m.Contributor, m.SizeBytes, m.RecordCount)).ToList();
        Assert.Equal(snapshot.Root, Hex.Encode(MerkleTree.HashPair(leaves[0], leaves[1])));
        var proof = await datanets.GetProofAsync(id, snapshot.Number, third.Record.Id);
        Assert.True(MerkleTree.Verify(Hex.Decode(proof.Root), Hex.Decode(proof.Leaf), proof.Proof.Select(Hex.Decode)));

        // Nothing new approved: the same snapshot comes back instead of a copy.
        Assert.Equal(snapshot, await datanets.SnapshotAsync(id));

        var info = await datanets.GetAsync(id);
        Assert.Equal(new ContributionCounts(0, 2, 1, info.Counts.Bytes, 6), info.Counts);
        Assert.Contains(await datanets.ListAsync(), d => d.Id == id && d.Owner == owner.Address);

        var profile = await grid.Client.Cluster.GetGrain<OpenLedger.Contributors.IContributorGrain>(alice.Address).GetProfile();
        Assert.Equal(2, profile.Reputation.Submitted);
        Assert.Equal(2, profile.Reputation.Accepted);
        Assert.Equal(0, profile.Reputation.Rejected);
        var bobProfile = await grid.Client.Cluster.GetGrain<OpenLedger.Contributors.IContributorGrain>(bob.Address).GetProfile();
        Assert.Equal(1, bobProfile.Reputation.Rejected);
        Assert.Equal(id, Assert.Single(bobProfile.Datanets).DatanetId);
    }

    [Fact]
    public async Task An_open_datanet_approves_on_acceptance()
    {
        var id = SampleDatanets.NewId("open");
        var owner = ContributorKey.Generate();
        await grid.Client.Datanets.CreateAsync(id, owner.Address, SampleDatanets.Open());
        var receipt = await grid.Client.Datanets.ContributeAsync(owner, id, SampleDatanets.Records(2, "open"));
        Assert.Equal(ContributionStatus.Approved, receipt.Record.Status);
        Assert.Equal(1, (await grid.Client.Datanets.SnapshotAsync(id)).ContributionCount);
    }

    [Fact]
    public async Task Concurrent_contributions_from_many_contributors_are_all_kept()
    {
        var id = SampleDatanets.NewId("busy");
        await grid.Client.Datanets.CreateAsync(id, ContributorKey.Generate().Address, SampleDatanets.Open());
        var keys = Enumerable.Range(0, 8).Select(_ => ContributorKey.Generate()).ToList();
        var receipts = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            grid.Client.Datanets.ContributeAsync(keys[i % keys.Count], id, SampleDatanets.Records(1, $"c{i}"), SampleDatanets.Licence)));

        Assert.Equal(64, receipts.Select(r => r.Record.Id).Distinct().Count());
        Assert.Equal(64, receipts.Select(r => r.Record.Sequence).Distinct().Count());
        var stored = await grid.Client.Datanets.ListContributionsAsync(id);
        Assert.Equal(receipts.Select(r => r.Record.Id).Order(), stored.Select(s => s.Id).Order());
    }
}
