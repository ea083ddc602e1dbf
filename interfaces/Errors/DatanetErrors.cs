namespace OpenLedger.Errors;

/// <summary>No Datanet has this id.</summary>
[GenerateSerializer, Alias("OpenLedger.UnknownDatanetException")]
public sealed class UnknownDatanetException(string datanetId)
    : OpenLedgerException($"There is no Datanet '{datanetId}'. List them with `openledger datanet list`.")
{
    /// <summary>The id asked for.</summary>
    [Id(0)] public string DatanetId { get; } = datanetId;

    /// <inheritdoc />
    public override string Code => "unknown_datanet";
}

/// <summary>A Datanet with this id already exists.</summary>
[GenerateSerializer, Alias("OpenLedger.DatanetAlreadyExistsException")]
public sealed class DatanetAlreadyExistsException(string datanetId)
    : OpenLedgerException($"A Datanet '{datanetId}' already exists. Choose another id.")
{
    /// <summary>The id that is taken.</summary>
    [Id(0)] public string DatanetId { get; } = datanetId;

    /// <inheritdoc />
    public override string Code => "datanet_exists";
}

/// <summary>A Datanet description, schema or curation policy is not acceptable.</summary>
[GenerateSerializer, Alias("OpenLedger.InvalidDatanetSpecException")]
public sealed class InvalidDatanetSpecException(string field, string problem)
    : OpenLedgerException($"Datanet field '{field}' is invalid: {problem}")
{
    /// <summary>The field at fault.</summary>
    [Id(0)] public string Field { get; } = field;

    /// <summary>What is wrong with it.</summary>
    [Id(1)] public string Problem { get; } = problem;

    /// <inheritdoc />
    public override string Code => "invalid_datanet_spec";
}

/// <summary>A signature does not verify, or verifies for a different address than the one claimed.</summary>
[GenerateSerializer, Alias("OpenLedger.InvalidSignatureException")]
public sealed class InvalidSignatureException(string claimedSigner, string? recoveredSigner, string what)
    : OpenLedgerException(recoveredSigner is null
        ? $"The signature on the {what} is malformed; sign the request again with the key of {claimedSigner}."
        : $"The {what} claims to be signed by {claimedSigner} but the signature is by {recoveredSigner}; sign it with the right key.")
{
    /// <summary>The address the request claims.</summary>
    [Id(0)] public string ClaimedSigner { get; } = claimedSigner;

    /// <summary>The address the signature recovers to, if it could be recovered.</summary>
    [Id(1)] public string? RecoveredSigner { get; } = recoveredSigner;

    /// <inheritdoc />
    public override string Code => "invalid_signature";
}

/// <summary>This contributor already used this nonce on this Datanet: the request is a replay.</summary>
[GenerateSerializer, Alias("OpenLedger.NonceReplayedException")]
public sealed class NonceReplayedException(string contributor, string nonce)
    : OpenLedgerException($"Nonce {nonce} was already used by {contributor} on this Datanet; sign again with a fresh nonce.")
{
    /// <summary>The contributor.</summary>
    [Id(0)] public string Contributor { get; } = contributor;

    /// <summary>The reused nonce.</summary>
    [Id(1)] public string Nonce { get; } = nonce;

    /// <inheritdoc />
    public override string Code => "nonce_replayed";
}

/// <summary>The same payload (same keccak256) is already in this Datanet.</summary>
[GenerateSerializer, Alias("OpenLedger.DuplicatePayloadException")]
public sealed class DuplicatePayloadException(string payloadHash, string existingContributionId)
    : OpenLedgerException($"This payload ({payloadHash}) is already contribution {existingContributionId}; nothing was added.")
{
    /// <summary>The payload's keccak256.</summary>
    [Id(0)] public string PayloadHash { get; } = payloadHash;

    /// <summary>The contribution that already holds it.</summary>
    [Id(1)] public string ExistingContributionId { get; } = existingContributionId;

    /// <inheritdoc />
    public override string Code => "duplicate_payload";
}

/// <summary>The payload is larger than this grid accepts in one contribution.</summary>
[GenerateSerializer, Alias("OpenLedger.PayloadTooLargeException")]
public sealed class PayloadTooLargeException(long sizeBytes, long limitBytes)
    : OpenLedgerException($"The payload is {sizeBytes} bytes; the limit is {limitBytes}. Split it into several contributions.")
{
    /// <summary>The payload's size.</summary>
    [Id(0)] public long SizeBytes { get; } = sizeBytes;

    /// <summary>The configured limit (OpenLedger:Datanets:MaxPayloadBytes).</summary>
    [Id(1)] public long LimitBytes { get; } = limitBytes;

    /// <inheritdoc />
    public override string Code => "payload_too_large";
}

/// <summary>A record of the payload does not match the Datanet's schema.</summary>
[GenerateSerializer, Alias("OpenLedger.MalformedRecordException")]
public sealed class MalformedRecordException(int line, string? field, string problem)
    : OpenLedgerException(field is null
        ? $"Line {line}: {problem}. Fix the record and contribute again."
        : $"Line {line}, field '{field}': {problem}. Fix the record and contribute again.")
{
    /// <summary>The 1-based line of the payload (0 when the payload as a whole is at fault).</summary>
    [Id(0)] public int Line { get; } = line;

    /// <summary>The field at fault, if one is.</summary>
    [Id(1)] public string? Field { get; } = field;

    /// <summary>What is wrong.</summary>
    [Id(2)] public string Problem { get; } = problem;

    /// <inheritdoc />
    public override string Code => "malformed_record";
}

/// <summary>The contribution names a licence other than the Datanet's.</summary>
[GenerateSerializer, Alias("OpenLedger.LicenceMismatchException")]
public sealed class LicenceMismatchException(string expected, string given)
    : OpenLedgerException($"This Datanet takes contributions under '{expected}', not '{given}'. Sign for '{expected}'.")
{
    /// <summary>The Datanet's licence.</summary>
    [Id(0)] public string Expected { get; } = expected;

    /// <summary>The licence in the request.</summary>
    [Id(1)] public string Given { get; } = given;

    /// <inheritdoc />
    public override string Code => "licence_mismatch";
}

/// <summary>The signer is not a curator of this Datanet.</summary>
[GenerateSerializer, Alias("OpenLedger.NotCuratorException")]
public sealed class NotCuratorException(string address, string datanetId)
    : OpenLedgerException($"{address} is not a curator of '{datanetId}'; only its curators can approve or reject.")
{
    /// <summary>The address that tried.</summary>
    [Id(0)] public string Address { get; } = address;

    /// <summary>The Datanet.</summary>
    [Id(1)] public string DatanetId { get; } = datanetId;

    /// <inheritdoc />
    public override string Code => "not_curator";
}

/// <summary>No contribution (or snapshot member) matches the id given.</summary>
[GenerateSerializer, Alias("OpenLedger.UnknownContributionException")]
public sealed class UnknownContributionException(string contributionId, string datanetId)
    : OpenLedgerException($"No contribution '{contributionId}' in '{datanetId}'. List them with `openledger datanet show {datanetId}`.")
{
    /// <summary>The id asked for.</summary>
    [Id(0)] public string ContributionId { get; } = contributionId;

    /// <summary>The Datanet.</summary>
    [Id(1)] public string DatanetId { get; } = datanetId;

    /// <inheritdoc />
    public override string Code => "unknown_contribution";
}

/// <summary>A curator tried to decide a contribution that is no longer pending.</summary>
[GenerateSerializer, Alias("OpenLedger.AlreadyDecidedException")]
public sealed class AlreadyDecidedException(string contributionId, string status)
    : OpenLedgerException($"Contribution {contributionId} is already {status}; curation decisions are final.")
{
    /// <summary>The contribution.</summary>
    [Id(0)] public string ContributionId { get; } = contributionId;

    /// <summary>Its status.</summary>
    [Id(1)] public string Status { get; } = status;

    /// <inheritdoc />
    public override string Code => "already_decided";
}

/// <summary>A snapshot was asked for with nothing approved, or a snapshot number does not exist.</summary>
[GenerateSerializer, Alias("OpenLedger.SnapshotUnavailableException")]
public sealed class SnapshotUnavailableException(string datanetId, string problem)
    : OpenLedgerException($"Datanet '{datanetId}': {problem}")
{
    /// <summary>The Datanet.</summary>
    [Id(0)] public string DatanetId { get; } = datanetId;

    /// <inheritdoc />
    public override string Code => "snapshot_unavailable";
}

/// <summary>A request field is malformed (an address, nonce or id that cannot be parsed).</summary>
[GenerateSerializer, Alias("OpenLedger.InvalidRequestException")]
public sealed class InvalidRequestException(string field, string problem)
    : OpenLedgerException($"Request field '{field}' is invalid: {problem}")
{
    /// <summary>The field at fault.</summary>
    [Id(0)] public string Field { get; } = field;

    /// <summary>What is wrong with it.</summary>
    [Id(1)] public string Problem { get; } = problem;

    /// <inheritdoc />
    public override string Code => "invalid_request";
}
