using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLedger.Contributors;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Records;
using OpenLedger.Datanets.Signing;
using OpenLedger.Datanets.Snapshots;
using OpenLedger.Errors;
using OpenLedger.Grains.Diagnostics;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Datanets;

/// <summary>
/// A Datanet: accepts signed contributions, records curation and freezes snapshots. Contribute may interleave with
/// itself (payload uploads dominate its time), so a payload hash and a nonce are reserved in memory before the first
/// await and released if storing fails; the ledger's transaction is the final guard.
/// </summary>
public sealed partial class DatanetGrain(
    [PersistentState("datanet", StorageNames.GrainState)] IPersistentState<DatanetState> state,
    ContributionLedger ledger,
    BlobArtifactStore artifacts,
    IOptions<DatanetOptions> options,
    TimeProvider clock,
    ILogger<DatanetGrain> logger) : Grain, IDatanetGrain
{
    private readonly List<ContributionRecord> _contributions = new();
    private readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedNonces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reservedHashes = new(StringComparer.Ordinal);
    private readonly Dictionary<int, SnapshotManifest> _manifests = new();
    private RecordValidator? _validator;
    private long _nextSequence = 1;

    private string DatanetId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is null)
        {
            return;
        }
        _validator = DatanetSpecRules.ValidatorFor(state.State.Spec.Schema);
        foreach (var record in await ledger.LoadAsync(DatanetId, cancellationToken))
        {
            Remember(record);
        }
    }

    /// <inheritdoc />
    public async Task<DatanetInfo> Create(string owner, DatanetSpec spec)
    {
        if (state.State.Spec is not null)
        {
            throw new DatanetAlreadyExistsException(DatanetId);
        }
        var (normalizedOwner, normalizedSpec) = DatanetSpecRules.Validate(DatanetId, owner, spec);
        state.State.Owner = normalizedOwner;
        state.State.Spec = normalizedSpec;
        state.State.CreatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        _validator = DatanetSpecRules.ValidatorFor(normalizedSpec.Schema);
        await GrainFactory.GetGrain<IDatanetDirectoryGrain>(0).Register(
            new DatanetSummary(DatanetId, normalizedSpec.Name, normalizedSpec.Domain, normalizedOwner, state.State.CreatedAt));
        LogCreated(DatanetId, normalizedOwner);
        return Info();
    }

    /// <inheritdoc />
    public Task<DatanetInfo> GetInfo()
    {
        EnsureExists();
        return Task.FromResult(Info());
    }

    /// <inheritdoc />
    public async Task<ContributionReceipt> Contribute(SignedContribution contribution)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var receipt = await Accept(contribution);
            GridMetrics.Contributions.Add(1, new KeyValuePair<string, object?>("outcome", "accepted"));
            GridMetrics.ContributionBytes.Add(receipt.Record.SizeBytes);
            return receipt;
        }
        catch (OpenLedgerException e)
        {
            GridMetrics.Contributions.Add(1, new KeyValuePair<string, object?>("outcome", e.Code));
            throw;
        }
        finally
        {
            GridMetrics.ContributionDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task<ContributionReceipt> Accept(SignedContribution contribution)
    {
        var spec = EnsureExists();
        var payload = contribution.Payload ?? Array.Empty<byte>();
        if (payload.LongLength > options.Value.MaxPayloadBytes)
        {
            throw new PayloadTooLargeException(payload.LongLength, options.Value.MaxPayloadBytes);
        }
        var contributor = EthereumAddress.TryNormalize(contribution.Contributor)
            ?? throw new InvalidRequestException("contributor", $"'{contribution.Contributor}' is not an Ethereum address");
        if (!SignedDigests.TryParseNonce(contribution.Nonce, out var nonce))
        {
            throw new InvalidRequestException("nonce", "must be a decimal integer below 2^256");
        }
        if (contribution.Licence != spec.Licence)
        {
            throw new LicenceMismatchException(spec.Licence, contribution.Licence ?? "");
        }
        var payloadHash = Keccak.Hash(payload);
        var digest = SignedDigests.Contribution(DatanetId, payloadHash, contribution.Licence, nonce);
        var signer = PersonalSignature.RecoverSigner(digest, contribution.Signature);
        if (signer != contributor)
        {
            throw new InvalidSignatureException(contributor, signer, "contribution");
        }
        var nonceKey = NonceKey(contributor, contribution.Nonce);
        if (_usedNonces.Contains(nonceKey))
        {
            throw new NonceReplayedException(contributor, contribution.Nonce);
        }
        var id = Hex.Encode(payloadHash);
        if (_indexById.ContainsKey(id) || _reservedHashes.Contains(id))
        {
            throw new DuplicatePayloadException(id, id);
        }
        var validation = _validator!.Validate(payload);
        if (!validation.IsValid)
        {
            throw new MalformedRecordException(validation.Line, validation.Field, validation.Problem!);
        }

        // Reserve before the first await so an interleaved call cannot take the same hash or nonce.
        _usedNonces.Add(nonceKey);
        _reservedHashes.Add(id);
        var record = new ContributionRecord(
            id, DatanetId, _nextSequence++, contributor, id, payload.LongLength, validation.RecordCount,
            contribution.Licence, contribution.Nonce, contribution.Signature, clock.GetUtcNow(),
            spec.Curation.Mode == CurationMode.Open ? ContributionStatus.Approved : ContributionStatus.Pending);
        Uri payloadUri;
        try
        {
            payloadUri = await artifacts.PutOnceAsync(StorageNames.PayloadsContainer, id[2..], new BinaryData(payload));
            if (!await ledger.TryAppendAsync(record))
            {
                // Another activation stored it first (a silo raced during failover). The ledger is the truth.
                throw new DuplicatePayloadException(id, id);
            }
        }
        catch
        {
            _usedNonces.Remove(nonceKey);
            throw;
        }
        finally
        {
            _reservedHashes.Remove(id);
        }
        Remember(record);
        var reference = new ContributionRef(DatanetId, id, record.SizeBytes, record.SubmittedAt);
        await TellContributor(contributor, async c =>
        {
            await c.RecordContribution(reference);
            if (record.Status == ContributionStatus.Approved)
            {
                await c.RecordDecision(reference, approved: true);
            }
        });
        return new ContributionReceipt(record, payloadUri.ToString());
    }

    /// <inheritdoc />
    public async Task<ContributionRecord> Curate(CurationDecision decision)
    {
        var spec = EnsureExists();
        var curator = EthereumAddress.TryNormalize(decision.Curator)
            ?? throw new InvalidRequestException("curator", $"'{decision.Curator}' is not an Ethereum address");
        if (!_indexById.TryGetValue(decision.ContributionId ?? "", out var index))
        {
            throw new UnknownContributionException(decision.ContributionId ?? "", DatanetId);
        }
        var reason = decision.Reason ?? "";
        var digest = SignedDigests.Curation(DatanetId, decision.ContributionId!, decision.Approve, reason);
        var signer = PersonalSignature.RecoverSigner(digest, decision.Signature);
        if (signer != curator)
        {
            throw new InvalidSignatureException(curator, signer, "curation decision");
        }
        if (!spec.Curation.Curators.Contains(curator))
        {
            throw new NotCuratorException(curator, DatanetId);
        }
        if (!decision.Approve && string.IsNullOrWhiteSpace(reason))
        {
            throw new InvalidRequestException("reason", "a rejection needs a reason the contributor can act on");
        }
        var current = _contributions[index];
        if (current.Status != ContributionStatus.Pending)
        {
            throw new AlreadyDecidedException(current.Id, current.Status.ToString().ToLowerInvariant());
        }
        var decided = current with
        {
            Status = decision.Approve ? ContributionStatus.Approved : ContributionStatus.Rejected,
            DecidedBy = curator,
            Reason = reason,
            DecidedAt = clock.GetUtcNow(),
        };
        await ledger.UpdateAsync(decided);
        _contributions[index] = decided;
        GridMetrics.CurationDecisions.Add(1, new KeyValuePair<string, object?>("outcome", decision.Approve ? "approved" : "rejected"));
        await TellContributor(decided.Contributor, c => c.RecordDecision(
            new ContributionRef(DatanetId, decided.Id, decided.SizeBytes, decided.SubmittedAt), decision.Approve));
        return decided;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ContributionRecord>> ListContributions(ContributionStatus? status = null)
    {
        EnsureExists();
        IReadOnlyList<ContributionRecord> list = status is null
            ? _contributions.ToList()
            : _contributions.Where(c => c.Status == status).ToList();
        return Task.FromResult(list);
    }

    /// <inheritdoc />
    public async Task<SnapshotInfo> Snapshot()
    {
        EnsureExists();
        var approved = _contributions.Where(c => c.Status == ContributionStatus.Approved).ToList();
        if (approved.Count == 0)
        {
            throw new SnapshotUnavailableException(DatanetId, "nothing is approved yet; approve contributions before taking a snapshot.");
        }
        // Decisions are final and approvals only accumulate, so an unchanged count means an unchanged set.
        if (state.State.Snapshots.Count > 0 && state.State.Snapshots[^1].ContributionCount == approved.Count)
        {
            return state.State.Snapshots[^1];
        }
        var members = approved
            .Select(c => new SnapshotMember(c.Id, c.PayloadHash, c.Contributor, c.SizeBytes, c.RecordCount))
            .ToList();
        var tree = new MerkleTree(members.Select(LeafOf).ToList());
        var number = state.State.Snapshots.Count + 1;
        var name = ManifestName(number);
        var info = new SnapshotInfo(
            number, Hex.Encode(tree.Root), members.Count, members.Sum(m => m.SizeBytes), members.Sum(m => (long)m.RecordCount),
            clock.GetUtcNow(), (await artifacts.UriOfAsync(StorageNames.SnapshotsContainer, name)).ToString());
        var manifest = new SnapshotManifest(DatanetId, info, members);
        // The manifest blob goes first: state never points at a manifest that is not there.
        await artifacts.PutOnceAsync(StorageNames.SnapshotsContainer, name, BinaryData.FromObjectAsJson(manifest, ManifestJson.Options));
        state.State.Snapshots.Add(info);
        await state.WriteStateAsync();
        _manifests[number] = manifest;
        GridMetrics.Snapshots.Add(1);
        LogSnapshot(DatanetId, number, info.Root, members.Count);
        return info;
    }

    /// <inheritdoc />
    public async Task<SnapshotManifest> GetSnapshot(int number)
    {
        EnsureExists();
        if (number < 1 || number > state.State.Snapshots.Count)
        {
            throw new SnapshotUnavailableException(DatanetId, $"there is no snapshot {number}; it has {state.State.Snapshots.Count}.");
        }
        if (!_manifests.TryGetValue(number, out var manifest))
        {
            var content = await artifacts.GetAsync(StorageNames.SnapshotsContainer, ManifestName(number));
            manifest = content.ToObjectFromJson<SnapshotManifest>(ManifestJson.Options)!;
            _manifests[number] = manifest;
        }
        return manifest;
    }

    /// <inheritdoc />
    public async Task<MembershipProof> GetMembershipProof(int snapshot, string contributionId)
    {
        var manifest = await GetSnapshot(snapshot);
        var index = manifest.Members.ToList().FindIndex(m => m.ContributionId == contributionId);
        if (index < 0)
        {
            throw new UnknownContributionException(contributionId, $"{DatanetId} snapshot {snapshot}");
        }
        var tree = new MerkleTree(manifest.Members.Select(LeafOf).ToList());
        var member = manifest.Members[index];
        return new MembershipProof(
            Hex.Encode(tree.Root), Hex.Encode(LeafOf(member)), member, tree.Proof(index).Select(p => Hex.Encode(p)).ToList());
    }

    private static byte[] LeafOf(SnapshotMember m) =>
        SnapshotLeaf.Hash(Hex.Decode(m.PayloadHash), m.Contributor, m.SizeBytes, m.RecordCount);

    private string ManifestName(int number) => $"{DatanetId}/{number:D6}.json";

    private static string NonceKey(string contributor, string nonce) => $"{contributor}:{nonce}";

    private void Remember(ContributionRecord record)
    {
        _indexById[record.Id] = _contributions.Count;
        _contributions.Add(record);
        _usedNonces.Add(NonceKey(record.Contributor, record.Nonce));
        _nextSequence = Math.Max(_nextSequence, record.Sequence + 1);
    }

    private DatanetSpec EnsureExists() => state.State.Spec ?? throw new UnknownDatanetException(DatanetId);

    private DatanetInfo Info()
    {
        int pending = 0, approved = 0, rejected = 0;
        long bytes = 0, records = 0;
        foreach (var c in _contributions)
        {
            switch (c.Status)
            {
                case ContributionStatus.Pending: pending++; break;
                case ContributionStatus.Approved: approved++; break;
                default: rejected++; break;
            }
            bytes += c.SizeBytes;
            records += c.RecordCount;
        }
        return new DatanetInfo(DatanetId, state.State.Owner!, state.State.Spec!, state.State.CreatedAt,
            new ContributionCounts(pending, approved, rejected, bytes, records), state.State.Snapshots.ToList());
    }

    // The contribution is already durable and the ledger is the source of truth; failing the caller now would make
    // them retry something that succeeded, so a contributor-index failure is logged instead.
    private async Task TellContributor(string contributor, Func<IContributorGrain, Task> call)
    {
        try
        {
            await call(GrainFactory.GetGrain<IContributorGrain>(contributor));
        }
        catch (Exception e)
        {
            LogContributorUpdateFailed(e, contributor, DatanetId);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Datanet {DatanetId} created by {Owner}")]
    private partial void LogCreated(string datanetId, string owner);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Datanet {DatanetId} snapshot {Number}: root {Root} over {Count} contributions")]
    private partial void LogSnapshot(string datanetId, int number, string root, int count);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Could not update contributor {Contributor} for Datanet {DatanetId}")]
    private partial void LogContributorUpdateFailed(Exception exception, string contributor, string datanetId);
}
