using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Storage.Blobs;
using OpenLedger.Grains.Diagnostics;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Cluster.Tests.Monitoring;

/// <summary>Failed storage operations are counted by store and operation; the answers the stores ask for are not failures.</summary>
public sealed class StorageErrorPolicyTests
{
    [Fact]
    public async Task A_blob_write_that_cannot_reach_storage_is_counted_against_its_container()
    {
        var counted = new List<(string? Store, string? Operation)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // By name: the instrument may be created (and published) only when the first error is counted.
            if (instrument.Meter.Name == GridMetrics.MeterName && instrument.Name == "openledger.storage.errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (value > 0)
            {
                var labels = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
                lock (counted)
                {
                    counted.Add((labels["store"], labels["operation"]));
                }
            }
        });
        listener.Start();
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(StorageErrorPolicy.ForBlobs(), HttpPipelinePosition.PerCall);
        // Nothing listens on a fresh free port: the write fails in transport, as with storage away.
        var blobs = new BlobServiceClient(new Uri($"http://127.0.0.1:{LocalServer.FreePort()}/devstoreaccount1"), options);

        var blob = blobs.GetBlobContainerClient(StorageNames.PayloadsContainer).GetBlobClient("0xabc");
        await Assert.ThrowsAnyAsync<Exception>(() => blob.UploadAsync(BinaryData.FromString("payload")));

        lock (counted)
        {
            Assert.Contains((StorageNames.PayloadsContainer, "write"), counted);
        }
    }

    [Theory]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    [InlineData(401, true)]
    [InlineData(403, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    public void Only_failures_count_not_the_answers_the_stores_ask_storage_for(int status, bool failure) =>
        Assert.Equal(failure, StorageErrorPolicy.IsFailure(status));
}
