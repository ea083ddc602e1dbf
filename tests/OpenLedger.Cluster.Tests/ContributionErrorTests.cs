using System.Text;
using OpenLedger.Client;
using OpenLedger.Datanets;
using OpenLedger.Errors;

namespace OpenLedger.Cluster.Tests;

/// <summary>Every bad input gets its typed error, and nothing already accepted changes.</summary>
[Collection(GridClusterCollection.Name)]
public sealed class ContributionErrorTests(GridCluster grid)
{
    private readonly ContributorKey _curator = ContributorKey.Generate();
    private readonly ContributorKey _alice = ContributorKey.Generate();

    private IDatanetGrain Datanet(string id) => grid.Cluster.Client.GetGrain<IDatanetGrain>(id);

    private async Task<(string Id, ContributionReceipt Accepted)> CuratedDatanetWithOneContribution()
    {
        var id = SampleDatanets.NewId("err");
        await grid.Client.Datanets.CreateAsync(id, _curator.Address, SampleDatanets.Curated(_curator));
        var accepted = await grid.Client.Datanets.ContributeAsync(_alice, id, SampleDatanets.Records(2, "ok"));
        return (id, accepted);
    }

    private async Task AssertUnchanged(string id, ContributionReceipt accepted)
    {
        var all = await grid.Client.Datanets.ListContributionsAsync(id);
        Assert.Equal(accepted.Record, Assert.Single(all));
        var counts = (await grid.Client.Datanets.GetAsync(id)).Counts;
        Assert.Equal(1, counts.Total);
    }

    [Fact]
    public async Task Unknown_datanet_is_refused()
    {
        var e = await Assert.ThrowsAsync<UnknownDatanetException>(() =>
            Datanet("no-such-datanet").Contribute(_alice.SignContribution("no-such-datanet", SampleDatanets.Records(1, "x"), SampleDatanets.Licence)));
        Assert.Equal("no-such-datanet", e.DatanetId);
        Assert.Equal("unknown_datanet", e.Code);
        Assert.Contains("openledger datanet list", e.Message);
    }

    [Fact]
    public async Task Duplicate_payload_is_refused_even_from_another_contributor()
    {
        var (id, accepted) = await CuratedDatanetWithOneContribution();
        var e = await Assert.ThrowsAsync<DuplicatePayloadException>(() =>
            grid.Client.Datanets.ContributeAsync(ContributorKey.Generate(), id, SampleDatanets.Records(2, "ok")));
        Assert.Equal(accepted.Record.Id, e.ExistingContributionId);
        await AssertUnchanged(id, accepted);
    }

    [Fact]
    public async Task Signature_by_another_key_is_refused()
    {
        var (id, accepted) = await CuratedDatanetWithOneContribution();
        var mallory = ContributorKey.Generate();
        var forged = mallory.SignContribution(id, SampleDatanets.Records(1, "forged"), SampleDatanets.Licence) with { Contributor = _alice.Address };
        var e = await Assert.ThrowsAsync<InvalidSignatureException>(() => Datanet(id).Contribute(forged));
        Assert.Equal(_alice.Address, e.ClaimedSigner);
        Assert.Equal(mallory.Address, e.RecoveredSigner);
        await AssertUnchanged(id, accepted);
    }

    [Fact]
    public async Task Tampered_payload_and_malformed_signature_are_refused()
    {
        var (id, accepted) = await CuratedDatanetWithOneContribution();
        var signed = _alice.SignContribution(id, SampleDatanets.Records(1, "signed"), SampleDatanets.Licence);
        await Assert.ThrowsAsync<InvalidSignatureException>(() =>
            Datanet(id).Contribute(signed with { Payload = SampleDatanets.Records(1, "swapped") }));
        var garbled = await Assert.ThrowsAsync<InvalidSignatureException>(() =>
            Datanet(id).Contribute(signed with { Signature = "0x1234" }));
        Assert.Null(garbled.RecoveredSigner);
        await AssertUnchanged(id, accepted);
    }

    [Fact]
    public async Task Replayed_nonce_is_refused_even_for_a_new_payload()
    {
        var (id, accepted) = await CuratedDatanetWithOneContribution();
        var again = _alice.SignContribution(id, SampleDatanets.Records(1, "fresh"), SampleDatanets.Licence, accepted.Record.Nonce);
        var e = await Assert.ThrowsAsync<NonceReplayedException>(() => Datanet(id).Contribute(again));
        Assert.Equal(accepted.Record.Nonce, e.Nonce);
        await AssertUnchanged(id, accepted);
    }

    [Fact]
    public async Task Oversized_payload_is_refused()
    {
        var (id, accepted) = await CuratedDatanetWithOneContribution();
        var big = SampleDatanets.Records(600, "big");
        Assert.True(big.Length > GridCluster.MaxPayloadBytes);
        var e = await Assert.ThrowsAsync<PayloadTooLargeException>(() => grid.Client.Datanets.ContributeAsync(_alice, id, big));
        Assert.Equal(GridCluster.MaxPayloadBytes, e.LimitBytes);
        Assert.Equal(big.Length, e.SizeBytes);
        await AssertUnchanged(id, accepted);
    }

    [Theory]
    [InlineData("{\"title\":\"t\",\"severity\":\"high\",\"observed_at\":\"2026-01-01T00:00:00Z\",\"summary\":\"s\"}\n", 1, "severity")]
    [InlineData("{\"title\":\"t\",\"severity\":2,\"observed_at\":\"2026-01-01T00:00:00Z\",\"summary\":\"s\"}\n{\"title\":\"t2\"\n", 2, null)]
    [InlineData("{\"title\":\"t\",\"severity\":2,\"observed_at\":\"yesterday\",\"summary\":\"s\"}\n", 1, "observed_at")]
    [InlineData("{\"title\":\"t\",\"severity\":2,\"observed_at\":\"2026-01-01T00:00:00Z\"}\n", 1, "summary")]
    [InlineData("[1,2,3]\n", 1, null)]
    [InlineData("{\"title\":\"t\",\"severity\":2,\"observed_at\":\"2026-01-01T00:00:00Z\",\"summary\":\"s\",\"extra\":1}\n", 1, "extra")]
    public async Task Malformed_records_are_refused_with_their_line_and_field(string payload, int line, string? field)
    {
        var (id, accepted) = await CuratedDatanetWithOneContribution();
        var e = await Assert.ThrowsAsync<MalformedRecordException>(() =>
            grid.Client.Datanets.ContributeAsync(_alice, id, Encoding.UTF8.GetBytes(payload)));
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        await AssertUnchanged(id, accepted);
    }

    [Fact]
    public async Task Wrong_licence_is_refused()
    {
        var (id, accepted) = await CuratedDatanetWithOneContribution();
        var e = await Assert.ThrowsAsync<LicenceMismatchException>(() =>
            grid.Client.Datanets.ContributeAsync(_alice, id, SampleDatanets.Records(1, "lic"), "proprietary"));
        Assert.Equal(SampleDatanets.Licence, e.Expected);
        await AssertUnchanged(id, accepted);
    }

    [Fact]
    public async Task Only_curators_decide_and_decisions_are_final()
    {
        var (id, accepted) = await CuratedDatanetWithOneContribution();
        await Assert.ThrowsAsync<NotCuratorException>(() =>
            grid.Client.Datanets.CurateAsync(_alice, id, accepted.Record.Id, approve: true, "self-approval"));
        await Assert.ThrowsAsync<InvalidRequestException>(() =>
            grid.Client.Datanets.CurateAsync(_curator, id, accepted.Record.Id, approve: false, " "));
        await Assert.ThrowsAsync<UnknownContributionException>(() =>
            grid.Client.Datanets.CurateAsync(_curator, id, "0x" + new string('0', 64), approve: true, ""));
        var forged = _alice.SignCuration(id, accepted.Record.Id, true, "") with { Curator = _curator.Address };
        await Assert.ThrowsAsync<InvalidSignatureException>(() => Datanet(id).Curate(forged));
        await AssertUnchanged(id, accepted);

        await grid.Client.Datanets.CurateAsync(_curator, id, accepted.Record.Id, approve: true, "");
        var e = await Assert.ThrowsAsync<AlreadyDecidedException>(() =>
            grid.Client.Datanets.CurateAsync(_curator, id, accepted.Record.Id, approve: false, "changed my mind"));
        Assert.Equal("approved", e.Status);
    }

    [Fact]
    public async Task Snapshot_with_nothing_approved_is_refused()
    {
        var (id, _) = await CuratedDatanetWithOneContribution();
        await Assert.ThrowsAsync<SnapshotUnavailableException>(() => grid.Client.Datanets.SnapshotAsync(id));
        await Assert.ThrowsAsync<SnapshotUnavailableException>(() => grid.Client.Datanets.GetSnapshotAsync(id, 1));
    }

    [Fact]
    public async Task Bad_datanet_specs_are_refused_and_ids_are_never_taken_twice()
    {
        var owner = ContributorKey.Generate().Address;
        var spec = SampleDatanets.Curated(_curator);
        Assert.Equal("id", (await Assert.ThrowsAsync<InvalidDatanetSpecException>(() =>
            grid.Client.Datanets.CreateAsync("Bad Id!", owner, spec))).Field);
        Assert.Equal("owner", (await Assert.ThrowsAsync<InvalidDatanetSpecException>(() =>
            grid.Client.Datanets.CreateAsync(SampleDatanets.NewId(), "0x123", spec))).Field);
        Assert.Equal("curation", (await Assert.ThrowsAsync<InvalidDatanetSpecException>(() =>
            grid.Client.Datanets.CreateAsync(SampleDatanets.NewId(), owner, spec with { Curation = CurationPolicy.CuratedBy() }))).Field);
        Assert.Equal("schema.fields", (await Assert.ThrowsAsync<InvalidDatanetSpecException>(() =>
            grid.Client.Datanets.CreateAsync(SampleDatanets.NewId(), owner, spec with { Schema = new RecordSchema([]) }))).Field);

        var id = SampleDatanets.NewId();
        await grid.Client.Datanets.CreateAsync(id, owner, spec);
        await Assert.ThrowsAsync<DatanetAlreadyExistsException>(() => grid.Client.Datanets.CreateAsync(id, owner, SampleDatanets.Open()));
        Assert.Equal(CurationMode.Curated, (await grid.Client.Datanets.GetAsync(id)).Spec.Curation.Mode);
    }
}
