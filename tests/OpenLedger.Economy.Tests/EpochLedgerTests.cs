using System.Numerics;
using Nethereum.ABI;
using Nethereum.Util;
using OpenLedger.Economy.Epochs;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Tests;

public class EpochLedgerTests
{
    private static Accrual Pay(int account, BigInteger wei) => new(Addresses.Of(account), AccrualRole.DataContributor, wei);

    private static Accrual Burn(BigInteger wei) => new(FeeSplitter.BurnAddress, AccrualRole.Burn, wei);

    [Fact]
    public void A_leaf_is_the_double_keccak_of_abi_encoded_address_and_amount()
    {
        const string account = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        var amount = BigInteger.Parse("1234567890123456789012345");
        var encoded = new ABIEncode().GetABIEncoded(new ABIValue("address", account), new ABIValue("uint256", amount));
        Assert.Equal(64, encoded.Length);
        var expected = Sha3Keccack.Current.CalculateHash(Sha3Keccack.Current.CalculateHash(encoded));

        var ledger = new EpochLedger();
        ledger.Accrue([new Accrual(account, AccrualRole.DataContributor, amount)]);
        var leaf = Assert.Single(ledger.Close().Leaves);
        Assert.Equal(account.ToLowerInvariant(), leaf.Account);
        Assert.Equal(expected, leaf.Hash);
        Assert.Equal(encoded, CumulativeLeaf.Encode(leaf.Account, amount));
    }

    [Fact]
    public void A_single_leaf_is_its_own_root_with_an_empty_proof()
    {
        var ledger = new EpochLedger();
        ledger.Accrue([Pay(1, 5)]);
        var close = ledger.Close();
        Assert.Equal(close.Leaves[0].Hash, close.Root);
        Assert.Empty(close.Proof(Addresses.Of(1)));
    }

    [Fact]
    public void Every_proof_verifies_with_an_independent_sorted_pair_verifier()
    {
        foreach (var count in new[] { 2, 3, 5, 8, 13, 64, 101 })
        {
            var ledger = new EpochLedger();
            ledger.Accrue(Enumerable.Range(1, count).Select(i => Pay(i * 7919, BigInteger.Pow(10, 18) * i + i)).ToList());
            var close = ledger.Close();
            Assert.Equal(count, close.Leaves.Count);
            Assert.Equal(close.Leaves.Select(l => l.Account).Order(StringComparer.Ordinal), close.Leaves.Select(l => l.Account));
            foreach (var leaf in close.Leaves)
            {
                Assert.True(SortedPairVerifier.Verify(close.Proof(leaf.Account), close.Root, leaf.Hash), $"{count} leaves: {leaf.Account}");
                Assert.False(SortedPairVerifier.Verify(close.Proof(leaf.Account), close.Root, CumulativeLeaf.HashOf(leaf.Account, leaf.CumulativeAmount + 1)));
            }
        }
    }

    [Fact]
    public void The_second_epoch_carries_cumulative_amounts_and_reports_only_its_own_total()
    {
        var ledger = new EpochLedger();
        ledger.Accrue([Pay(1, 100), Pay(2, 50), Burn(7)]);
        var first = ledger.Close();
        ledger.Accrue([Pay(1, 30), Pay(3, 20), Burn(2)]);
        var second = ledger.Close();

        Assert.Equal((1L, 150, 7), (first.EpochId, (int)first.Total, (int)first.Burn));
        Assert.Equal((2L, 50, 2), (second.EpochId, (int)second.Total, (int)second.Burn));
        Assert.Equal(
            [(Addresses.Of(1), new BigInteger(130)), (Addresses.Of(2), new BigInteger(50)), (Addresses.Of(3), new BigInteger(20))],
            second.Leaves.Select(l => (l.Account, l.CumulativeAmount)));
        Assert.Equal(first.Leaf(Addresses.Of(1))!.CumulativeAmount + 30, second.Leaf(Addresses.Of(1))!.CumulativeAmount);
        Assert.Null(first.Leaf(Addresses.Of(3)));
        Assert.Equal(CumulativeLeaf.HashOf(Addresses.Of(2), 50), second.Leaf(Addresses.Of(2))!.Hash); // untouched, still in the tree
        Assert.Equal(3, ledger.EpochId);
    }

    [Fact]
    public void A_ledger_resumed_from_a_close_continues_the_same_way()
    {
        var ledger = new EpochLedger();
        ledger.Accrue([Pay(1, 100), Pay(2, 50)]);
        var first = ledger.Close();
        ledger.Accrue([Pay(2, 1)]);
        var resumed = new EpochLedger(first.EpochId + 1, first.Leaves);
        resumed.Accrue([Pay(2, 1)]);
        var (a, b) = (ledger.Close(), resumed.Close());
        Assert.Equal(a.Root, b.Root);
        Assert.Equal(a.ManifestHash, b.ManifestHash);
        Assert.Equal(2, b.EpochId);
    }

    [Fact]
    public void Roots_and_manifest_hashes_differ_when_any_amount_changes()
    {
        var amounts = new BigInteger[] { 100, 200, 300, 400, 500 };
        var baseline = CloseWith(amounts);
        for (var i = 0; i < amounts.Length; i++)
        {
            var changed = (BigInteger[])amounts.Clone();
            changed[i] += 1;
            var other = CloseWith(changed);
            Assert.NotEqual(baseline.Root, other.Root);
            Assert.NotEqual(baseline.ManifestHash, other.ManifestHash);
        }
        Assert.Equal(baseline.Root, CloseWith(amounts).Root);
    }

    [Fact]
    public void The_manifest_hash_covers_the_epoch_id()
    {
        var leaves = new[] { new CumulativeLeaf(Addresses.Of(1), 10) };
        Assert.NotEqual(EpochClose.ManifestHashOf(1, leaves), EpochClose.ManifestHashOf(2, leaves));
    }

    [Fact]
    public void An_empty_epoch_has_a_zero_root_and_no_proofs()
    {
        var close = new EpochLedger().Close();
        Assert.Equal(new byte[32], close.Root);
        Assert.Empty(close.Leaves);
        Assert.Contains("earned nothing", Assert.Throws<ArgumentException>(() => close.Proof(Addresses.Of(1))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_accruals_throw_and_accrue_nothing()
    {
        var ledger = new EpochLedger();
        ledger.Accrue([Pay(1, 10)]);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => ledger.Accrue([Pay(2, 5), Burn(1), Pay(3, -1)])).Message, StringComparison.Ordinal);
        Assert.Contains("zero address", Assert.Throws<ArgumentException>(() => ledger.Accrue([Pay(2, 5), new Accrual(FeeSplitter.BurnAddress, AccrualRole.Protocol, 1)])).Message, StringComparison.Ordinal);
        Assert.Contains("not an Ethereum address", Assert.Throws<ArgumentException>(() => ledger.Accrue([Pay(2, 5), new Accrual("0x12", AccrualRole.Protocol, 1)])).Message, StringComparison.Ordinal);
        Assert.Contains("uint256", Assert.Throws<ArgumentException>(() => ledger.Accrue([Pay(2, 5), Pay(1, Wei.MaxUInt256)])).Message, StringComparison.Ordinal);
        Assert.Equal(10, ledger.EpochTotal);
        Assert.Equal(0, ledger.EpochBurn);
        Assert.Equal(0, ledger.Cumulative(Addresses.Of(2)));
        var close = ledger.Close();
        Assert.Equal(new CumulativeLeaf(Addresses.Of(1), 10), Assert.Single(close.Leaves));
    }

    [Fact]
    public void Bad_split_input_accrues_nothing()
    {
        var ledger = new EpochLedger();
        var recipients = new FeeRecipients(Addresses.Of(0xA), Addresses.Of(0xB));
        Assert.Throws<ArgumentException>(() => ledger.Accrue(FeeSplitter.Split(1_000, FeeSplit.Default, recipients, [new DataShare(Addresses.Of(1), 999)])));
        Assert.Equal(0, ledger.EpochTotal);
        Assert.Empty(ledger.Close().Leaves);
    }

    private static EpochClose CloseWith(BigInteger[] amounts)
    {
        var ledger = new EpochLedger();
        ledger.Accrue(amounts.Select((a, i) => Pay(i + 1, a)).ToList());
        return ledger.Close();
    }
}
