using OpenLedger.Contributors;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Contributors;

/// <summary>
/// A contributor's persisted profile. It keeps per-Datanet totals and only the latest contributions, so its size
/// does not grow with a prolific contributor's history; the full list is the Datanets' ledger.
/// </summary>
[GenerateSerializer, Alias("OpenLedger.Grains.ContributorState")]
public sealed class ContributorState
{
    /// <summary>First accepted contribution.</summary>
    [Id(0)] public DateTimeOffset? FirstSeen { get; set; }

    /// <summary>Latest accepted contribution.</summary>
    [Id(1)] public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Totals per Datanet id.</summary>
    [Id(2)] public Dictionary<string, DatanetContributions> Datanets { get; set; } = new();

    /// <summary>The most recent contributions, newest last.</summary>
    [Id(3)] public List<ContributionRef> Recent { get; set; } = new();
}

/// <summary>A contributor, keyed by address: profile, contributions across Datanets, and reputation counts.</summary>
public sealed class ContributorGrain(
    [PersistentState("contributor", StorageNames.GrainState)] IPersistentState<ContributorState> state)
    : Grain, IContributorGrain
{
    /// <summary>How many recent contributions a profile lists.</summary>
    public const int RecentLimit = 50;

    /// <inheritdoc />
    public Task<ContributorProfile> GetProfile()
    {
        var s = state.State;
        var datanets = s.Datanets.Values.OrderBy(d => d.DatanetId, StringComparer.Ordinal).ToList();
        var reputation = new Reputation(
            datanets.Sum(d => d.Submitted), datanets.Sum(d => d.Accepted), datanets.Sum(d => d.Rejected), datanets.Sum(d => d.Bytes));
        return Task.FromResult(new ContributorProfile(this.GetPrimaryKeyString(), s.FirstSeen, s.LastSeen, reputation, datanets, s.Recent.ToList()));
    }

    /// <inheritdoc />
    public async Task RecordContribution(ContributionRef contribution)
    {
        var s = state.State;
        var totals = Totals(contribution.DatanetId);
        s.Datanets[contribution.DatanetId] = totals with
        {
            Submitted = totals.Submitted + 1,
            Bytes = totals.Bytes + contribution.SizeBytes,
        };
        s.Recent.Add(contribution);
        if (s.Recent.Count > RecentLimit)
        {
            s.Recent.RemoveAt(0);
        }
        s.FirstSeen ??= contribution.At;
        s.LastSeen = contribution.At;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task RecordDecision(ContributionRef contribution, bool approved)
    {
        var totals = Totals(contribution.DatanetId);
        state.State.Datanets[contribution.DatanetId] = approved
            ? totals with { Accepted = totals.Accepted + 1 }
            : totals with { Rejected = totals.Rejected + 1 };
        await state.WriteStateAsync();
    }

    private DatanetContributions Totals(string datanetId) =>
        state.State.Datanets.TryGetValue(datanetId, out var totals) ? totals : new DatanetContributions(datanetId, 0, 0, 0, 0);
}
