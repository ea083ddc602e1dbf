using System.Numerics;
using Nethereum.Signer;
using OpenLedger.Datanets.Signing;

namespace OpenLedger.Datanets.Tests;

public sealed class SigningTests
{
    private const string Key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    [Fact]
    public void Signature_recovers_to_the_signer_and_matches_an_independent_eip191_signer()
    {
        var digest = SignedDigests.Contribution("cyber", Keccak.Hash("payload"u8), "CC-BY-4.0", new BigInteger(42));
        var signature = PersonalSignature.Sign(digest, Key);
        Assert.Equal(PersonalSignature.AddressOf(Key), PersonalSignature.RecoverSigner(digest, signature));
        // Nethereum's own "\x19Ethereum Signed Message:\n32" + digest path, as wallets sign.
        var expected = new EthereumMessageSigner().EncodeUTF8AndSign("ignored", new EthECKey(Key));
        Assert.NotEqual(expected, signature);
        Assert.Equal(EthereumAddress.TryNormalize(new EthECKey(Key).GetPublicAddress()),
            EthereumAddress.TryNormalize(new EthereumMessageSigner().EcRecover(digest, signature)));
    }

    [Fact]
    public void Digests_bind_every_field()
    {
        var hash = Keccak.Hash("payload"u8);
        var baseline = SignedDigests.Contribution("cyber", hash, "CC-BY-4.0", 1);
        Assert.NotEqual(baseline, SignedDigests.Contribution("cyber2", hash, "CC-BY-4.0", 1));
        Assert.NotEqual(baseline, SignedDigests.Contribution("cyber", Keccak.Hash("other"u8), "CC-BY-4.0", 1));
        Assert.NotEqual(baseline, SignedDigests.Contribution("cyber", hash, "MIT", 1));
        Assert.NotEqual(baseline, SignedDigests.Contribution("cyber", hash, "CC-BY-4.0", 2));
        Assert.NotEqual(SignedDigests.Curation("cyber", "0x01", true, ""), SignedDigests.Curation("cyber", "0x01", false, ""));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("not hex at all")]
    public void Malformed_signatures_recover_to_nobody(string? signature)
    {
        Assert.Null(PersonalSignature.RecoverSigner(new byte[32], signature));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935", true)]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936", false)]
    [InlineData("-1", false)]
    [InlineData("0x10", false)]
    [InlineData("", false)]
    public void Nonces_are_decimal_uint256(string text, bool valid)
    {
        Assert.Equal(valid, SignedDigests.TryParseNonce(text, out _));
    }

    [Fact]
    public async Task Streaming_keccak_matches_the_one_shot_hash_across_chunk_boundaries()
    {
        var data = new byte[(3 << 20) + 12345];
        new Random(3).NextBytes(data);
        using var stream = new MemoryStream(data);
        Assert.Equal(Keccak.HashHex(data), await Keccak.HashHexAsync(stream));
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", await Keccak.HashHexAsync(new MemoryStream()));
    }
}
