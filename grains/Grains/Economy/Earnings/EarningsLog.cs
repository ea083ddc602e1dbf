using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// The earnings read model's event log: JSON lines appended to append blobs (<c>events/NNNNNN.jsonl</c> in the
/// <c>earnings</c> container), one block per event, a new segment before a blob reaches its block limit. Only events
/// the index accepted are appended, in the order it applied them, so replaying the log rebuilds the same index.
/// </summary>
public sealed class EarningsLog(BlobServiceClient blobs)
{
    /// <summary>The container holding the log.</summary>
    public const string Container = "earnings";

    // An append blob takes at most 50,000 blocks; roll over well before.
    private const int BlocksPerSegment = 45_000;

    private readonly Lazy<Task<BlobContainerClient>> _container = new(async () =>
    {
        var container = blobs.GetBlobContainerClient(Container);
        await container.CreateIfNotExistsAsync();
        return container;
    });
    private int _segment;
    private int _blocks;

    /// <summary>Every stored event line, oldest first; positions the log to append after the last.</summary>
    public async IAsyncEnumerable<string> ReadAsync()
    {
        var container = await _container.Value;
        var segments = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "events/", default))
        {
            segments.Add(blob.Name);
        }
        segments.Sort(StringComparer.Ordinal);
        foreach (var name in segments)
        {
            var content = await container.GetAppendBlobClient(name).DownloadContentAsync();
            var lines = 0;
            foreach (var line in content.Value.Content.ToString().Split('\n'))
            {
                if (line.Length > 0)
                {
                    lines++;
                    yield return line;
                }
            }
            _segment = int.Parse(name["events/".Length..^".jsonl".Length], CultureInfo.InvariantCulture);
            _blocks = lines;
        }
    }

    /// <summary>Appends one event line durably.</summary>
    public async Task AppendAsync(string line)
    {
        var container = await _container.Value;
        if (_segment == 0 || _blocks >= BlocksPerSegment)
        {
            _segment++;
            _blocks = 0;
            await container.GetAppendBlobClient(SegmentName(_segment)).CreateIfNotExistsAsync();
        }
        using var block = new MemoryStream(Encoding.UTF8.GetBytes(line + "\n"), writable: false);
        try
        {
            await container.GetAppendBlobClient(SegmentName(_segment)).AppendBlockAsync(block);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlockCountExceedsLimit)
        {
            _blocks = BlocksPerSegment;
            await AppendAsync(line);
            return;
        }
        _blocks++;
    }

    private static string SegmentName(int segment) => $"events/{segment.ToString("D6", CultureInfo.InvariantCulture)}.jsonl";
}
