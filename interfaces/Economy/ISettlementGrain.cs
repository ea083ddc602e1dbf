namespace OpenLedger.Economy;

/// <summary>
/// The one owner of the settlement key (key: <see cref="Key"/>). It closes epochs (seals the ledger shards, builds the
/// cumulative Merkle tree, writes the manifest), settles the agents' debits in the fee vault, posts the root to the
/// distributor and anchors the epoch's attribution records, each step through a persisted outbox so a crash at any
/// point resumes without posting an epoch twice or skipping one.
/// </summary>
[Alias("OpenLedger.ISettlementGrain")]
public interface ISettlementGrain : IGrainWithStringKey
{
    /// <summary>The grain's key.</summary>
    const string Key = "settlement";

    /// <summary>
    /// Finishes any epoch still on its way to the chain, then closes the open epoch and takes it all the way to
    /// <see cref="EpochStage.Anchored"/>. Returns the epoch closed now.
    /// </summary>
    [Alias("CloseEpoch")]
    [ResponseTimeout("00:10:00")]
    Task<EpochSummary> CloseEpoch();

    /// <summary>Finishes any epoch closed but not yet anchored (after a crash); returns them as they end.</summary>
    [Alias("Resume")]
    [ResponseTimeout("00:10:00")]
    Task<IReadOnlyList<EpochSummary>> Resume();

    /// <summary>Every closed epoch, oldest first.</summary>
    [Alias("Epochs")]
    Task<IReadOnlyList<EpochSummary>> Epochs();

    /// <summary>The account's claim as of the last posted epoch, or null when it has never earned in one.</summary>
    [Alias("ClaimOf")]
    Task<ClaimProof?> ClaimOf(string account);

    /// <summary>What <paramref name="account"/> has accrued in epochs not yet posted, over every ledger shard (decimal wei).</summary>
    [Alias("Unposted")]
    Task<string> Unposted(string account);

    /// <summary>The inclusion of an inference's record in the batch of epoch <paramref name="epochId"/>.</summary>
    [Alias("Inclusion")]
    Task<AttributionInclusion> Inclusion(long epochId, string inferenceId);

    /// <summary>
    /// Takes a slash on evidence and sends <c>AgentStaking.slash</c> through the signer's outbox, once per evidence
    /// hash however often it is proposed. Returns where it stands; the agent grain hears the outcome.
    /// </summary>
    [Alias("ProposeSlash")]
    Task<OpenLedger.Agents.SlashOutcome> ProposeSlash(OpenLedger.Agents.SlashProposal proposal);

    /// <summary>Every slash taken, oldest first, with its outcome.</summary>
    [Alias("Slashes")]
    Task<IReadOnlyList<OpenLedger.Agents.SlashOutcome>> Slashes();
}
