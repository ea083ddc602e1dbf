using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using OpenLedger.Client.Agents;
using OpenLedger.Economy.Agents;

namespace OpenLedger.Cluster.Tests.Security;

/// <summary>
/// Agent keys issued by the grid are stored only as hashes: after a real issue, no table entity or blob of the silo's
/// storage holds the key or its secret, while the agent's stored state does hold the secret's hash (so the scan reads
/// the place where the key would be).
/// </summary>
[Collection(AgentGridCollection.Name)]
public sealed class AgentKeyStorageTests(AgentGrid grid)
{
    [Fact]
    public async Task An_issued_key_is_stored_as_its_hash_and_never_as_the_key()
    {
        var account = await grid.AgentAsync(stake: 100 * AgentGrid.Open, deposit: 0);
        using var client = await AgentClient.RegisterAsync(grid.Url, account.PrivateKey, "storage");
        var key = client.ApiKey;
        var parts = AgentKeyFormat.Parse(key)!;
        // olk_, 40 hex digits of address, _, 8 hex digits of key id, _, then the secret (base64url, which may hold _).
        var secret = key[(AgentKeyFormat.Prefix.Length + 40 + 1 + 8 + 1)..];
        Assert.Equal(parts.SecretHash, AgentKeyFormat.HashSecret(secret));

        var stored = await StoredTextAsync();
        Assert.Contains(parts.SecretHash, stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
    }

    // Every table entity's properties and every blob of the grid's storage, as text (binary values as UTF-8 and base64).
    private async Task<string> StoredTextAsync()
    {
        var text = new StringBuilder();
        var tables = new TableServiceClient(grid.StorageConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var value in entity.Select(p => p.Value))
                {
                    text.Append(value switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes) + Convert.ToBase64String(bytes) + Convert.ToHexString(bytes),
                        BinaryData data => data.ToString() + Convert.ToBase64String(data.ToArray()),
                        _ => value?.ToString(),
                    }).Append('\n');
                }
            }
        }
        var blobs = new BlobServiceClient(grid.StorageConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            var containerClient = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in containerClient.GetBlobsAsync())
            {
                if (blob.Properties.ContentLength is < 4_000_000)
                {
                    var content = (await containerClient.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                    text.Append(Encoding.UTF8.GetString(content)).Append('\n');
                }
            }
        }
        return text.ToString();
    }
}
