using System.Numerics;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests;

public class EpochManifestFileTests
{
    [Fact]
    public async Task A_manifest_round_trips_every_leaf_exactly()
    {
        var ledger = new EpochLedger();
        ledger.Accrue([new Accrual(FeeSplitter.BurnAddress, AccrualRole.Burn, 9)]);
        ledger.Accrue(Enumerable.Range(1, 300).Select(i => new Accrual(Addresses.Of(i), AccrualRole.DataContributor, Wei.MaxUInt256 / (i * 1_000) + i)).ToList());
        ledger.Close();
        ledger.Accrue([new Accrual(Addresses.Of(1), AccrualRole.ModelDeveloper, 1)]);
        var close = ledger.Close();

        using var file = new MemoryStream();
        await EpochManifestFile.WriteAsync(file, close);
        file.Position = 0;
        var read = await EpochManifestFile.ReadAsync(file);

        Assert.Equal(close.EpochId, read.EpochId);
        Assert.Equal(close.Root, read.Root);
        Assert.Equal(close.ManifestHash, read.ManifestHash);
        Assert.Equal(new BigInteger(1), read.Total);
        Assert.Equal(BigInteger.Zero, read.Burn);
        Assert.Equal(close.Leaves.Select(l => (l.Account, l.CumulativeAmount)), read.Leaves.Select(l => (l.Account, l.CumulativeAmount)));
    }

    [Fact]
    public async Task Something_else_is_not_read_as_a_manifest()
    {
        using var file = new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        await Assert.ThrowsAsync<InvalidDataException>(() => EpochManifestFile.ReadAsync(file));
    }
}
