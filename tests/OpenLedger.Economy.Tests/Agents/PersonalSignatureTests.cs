using Nethereum.Signer;
using OpenLedger.Economy.Agents;

namespace OpenLedger.Economy.Tests.Agents;

/// <summary>The fast EIP-191 signatures against Nethereum's general-purpose implementation as the reference.</summary>
public sealed class PersonalSignatureTests
{
    private static readonly EthereumMessageSigner _reference = new();
    private static readonly string[] _texts =
    [
        "",
        "OpenLedger request\nGET /v1/models\n1764000000000\n0123456789abcdef0123456789abcdef\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "OpenLedger Grid agent key\nAddress: 0xabc\nNonce: 1\nExpires: 2",
        "naïve café — 監査ログ ✓",
        new string('x', 1000),
    ];

    [Fact]
    public void Signatures_are_the_same_bytes_as_the_reference_and_recover_both_ways()
    {
        for (var i = 0; i < 16; i++)
        {
            var key = EthECKey.GenerateKey();
            var address = key.GetPublicAddress().ToLowerInvariant();
            foreach (var text in _texts)
            {
                var ours = PersonalSignature.Sign(text, key.GetPrivateKeyAsBytes());
                Assert.Equal(_reference.EncodeUTF8AndSign(text, key), ours);
                Assert.Equal(address, PersonalSignature.Recover(text, ours));
                Assert.Equal(address, _reference.EncodeUTF8AndEcRecover(text, ours).ToLowerInvariant());
            }
        }
    }

    [Fact]
    public void A_signature_over_other_text_recovers_someone_else()
    {
        var key = EthECKey.GenerateKey();
        var signature = PersonalSignature.Sign("GET /v1/models", key.GetPrivateKeyAsBytes());
        Assert.NotEqual(key.GetPublicAddress().ToLowerInvariant(), PersonalSignature.Recover("GET /v1/model", signature));
    }

    [Fact]
    public void Recovery_ids_0_and_1_are_read_as_27_and_28()
    {
        var key = EthECKey.GenerateKey();
        var signature = PersonalSignature.Sign("hello", key.GetPrivateKeyAsBytes());
        var v = Convert.ToByte(signature[^2..], 16) - 27;
        Assert.Equal(key.GetPublicAddress().ToLowerInvariant(), PersonalSignature.Recover("hello", signature[..^2] + v.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x1234")]
    [InlineData("no-0x-prefix-but-long-enough-000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    public void Malformed_signatures_recover_nobody(string? signature) => Assert.Null(PersonalSignature.Recover("hello", signature));

    [Fact]
    public void Bad_hex_a_recovery_id_out_of_range_or_a_zero_r_recover_nobody()
    {
        var good = PersonalSignature.Sign("hello", EthECKey.GenerateKey().GetPrivateKeyAsBytes());
        Assert.Null(PersonalSignature.Recover("hello", good[..10] + "zz" + good[12..]));
        Assert.Null(PersonalSignature.Recover("hello", good[..^2] + "1d"));
        Assert.Null(PersonalSignature.Recover("hello", "0x" + new string('0', 64) + good[66..]));
    }

    [Fact]
    public void A_private_key_outside_the_curve_order_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PersonalSignature.Sign("hello", new byte[32]));
        Assert.Throws<ArgumentException>(() => PersonalSignature.Sign("hello", new byte[31]));
    }
}
