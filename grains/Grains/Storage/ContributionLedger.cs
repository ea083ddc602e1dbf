using Azure;
using Azure.Data.Tables;
using OpenLedger.Datanets;

namespace OpenLedger.Grains.Storage;

/// <summary>
/// The durable record of every contribution, one Azure Table row each, partitioned by Datanet. A contribution row
/// and a row claiming its (contributor, nonce) are inserted in one entity-group transaction, so storage itself
/// refuses a duplicate payload or a replayed nonce even if two silos raced, and never keeps half of one.
/// </summary>
public sealed class ContributionLedger(TableServiceClient tables)
{
    private const string KindContribution = "contribution";
    private const string KindNonce = "nonce";
    private readonly Lazy<Task<TableClient>> _table = new(async () =>
    {
        var table = tables.GetTableClient(StorageNames.ContributionsTable);
        await table.CreateIfNotExistsAsync();
        return table;
    });

    /// <summary>Every contribution of a Datanet, in sequence order.</summary>
    public async Task<List<ContributionRecord>> LoadAsync(string datanetId, CancellationToken cancellation = default)
    {
        var table = await _table.Value;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {datanetId} and Kind eq {KindContribution}");
        var records = new List<ContributionRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellation))
        {
            records.Add(ToRecord(entity));
        }
        records.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return records;
    }

    /// <summary>Inserts a new contribution and claims its nonce, atomically. Returns false if either already exists.</summary>
    public async Task<bool> TryAppendAsync(ContributionRecord record, CancellationToken cancellation = default)
    {
        var table = await _table.Value;
        var nonceRow = new TableEntity(record.DatanetId, NonceRowKey(record.Contributor, record.Nonce))
        {
            ["Kind"] = KindNonce,
            ["ContributionId"] = record.Id,
        };
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, ToEntity(record)),
            new(TableTransactionActionType.Add, nonceRow),
        ];
        try
        {
            await table.SubmitTransactionAsync(actions, cancellation);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Writes a curation decision over the stored record.</summary>
    public async Task UpdateAsync(ContributionRecord record, CancellationToken cancellation = default)
    {
        var table = await _table.Value;
        await table.UpdateEntityAsync(ToEntity(record), ETag.All, TableUpdateMode.Replace, cancellation);
    }

    private static string NonceRowKey(string contributor, string nonce) => $"nonce_{contributor}_{nonce}";

    private static TableEntity ToEntity(ContributionRecord r) => new(r.DatanetId, r.Id)
    {
        ["Kind"] = KindContribution,
        ["Sequence"] = r.Sequence,
        ["Contributor"] = r.Contributor,
        ["PayloadHash"] = r.PayloadHash,
        ["SizeBytes"] = r.SizeBytes,
        ["RecordCount"] = r.RecordCount,
        ["Licence"] = r.Licence,
        ["Nonce"] = r.Nonce,
        ["Signature"] = r.Signature,
        ["SubmittedAt"] = r.SubmittedAt,
        ["Status"] = r.Status.ToString(),
        ["DecidedBy"] = r.DecidedBy,
        ["Reason"] = r.Reason,
        ["DecidedAt"] = r.DecidedAt,
    };

    private static ContributionRecord ToRecord(TableEntity e) => new(
        Id: e.RowKey,
        DatanetId: e.PartitionKey,
        Sequence: e.GetInt64("Sequence") ?? 0,
        Contributor: e.GetString("Contributor"),
        PayloadHash: e.GetString("PayloadHash"),
        SizeBytes: e.GetInt64("SizeBytes") ?? 0,
        RecordCount: e.GetInt32("RecordCount") ?? 0,
        Licence: e.GetString("Licence"),
        Nonce: e.GetString("Nonce"),
        Signature: e.GetString("Signature"),
        SubmittedAt: e.GetDateTimeOffset("SubmittedAt") ?? DateTimeOffset.MinValue,
        Status: Enum.Parse<ContributionStatus>(e.GetString("Status")),
        DecidedBy: e.GetString("DecidedBy"),
        Reason: e.GetString("Reason"),
        DecidedAt: e.GetDateTimeOffset("DecidedAt"));
}
