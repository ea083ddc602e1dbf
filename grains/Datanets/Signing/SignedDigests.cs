using System.Numerics;
using System.Text;
using Nethereum.ABI;

namespace OpenLedger.Datanets.Signing;

/// <summary>
/// The canonical 32-byte digests that contributors and curators sign. Each is keccak256 of the ABI encoding of a
/// domain tag and the request's fields, so a signature for one kind of request, Datanet or nonce can never be
/// replayed as another. Signatures are EIP-191 personal signatures over the digest bytes.
/// </summary>
public static class SignedDigests
{
    /// <summary>Domain tag of contribution digests; changing it invalidates every signature in flight.</summary>
    public const string ContributionTag = "OpenLedger.Contribution.v1";

    /// <summary>Domain tag of curation digests.</summary>
    public const string CurationTag = "OpenLedger.Curation.v1";

    /// <summary>Domain tag of training-request digests.</summary>
    public const string TrainingTag = "OpenLedger.Training.v1";

    /// <summary>Domain tag of model price digests.</summary>
    public const string PriceTag = "OpenLedger.ModelPrice.v1";

    private static readonly ABIEncode _abi = new();

    /// <summary>keccak256(abi.encode(tag, datanetId, payloadHash, licence, nonce)).</summary>
    public static byte[] Contribution(string datanetId, byte[] payloadHash, string licence, BigInteger nonce) =>
        Keccak.Hash(_abi.GetABIEncoded(
            new ABIValue("string", ContributionTag),
            new ABIValue("string", datanetId),
            new ABIValue("bytes32", payloadHash),
            new ABIValue("string", licence),
            new ABIValue("uint256", nonce)));

    /// <summary>keccak256(abi.encode(tag, datanetId, contributionId, approve, keccak256(reason))).</summary>
    public static byte[] Curation(string datanetId, string contributionId, bool approve, string reason) =>
        Keccak.Hash(_abi.GetABIEncoded(
            new ABIValue("string", CurationTag),
            new ABIValue("string", datanetId),
            new ABIValue("string", contributionId),
            new ABIValue("bool", approve),
            new ABIValue("bytes32", Keccak.Hash(Encoding.UTF8.GetBytes(reason)))));

    /// <summary>keccak256(abi.encode(tag, jobId, keccak256(canonical request text))).</summary>
    public static byte[] Training(string jobId, string canonicalRequest) =>
        Keccak.Hash(_abi.GetABIEncoded(
            new ABIValue("string", TrainingTag),
            new ABIValue("string", jobId),
            new ABIValue("bytes32", Keccak.Hash(Encoding.UTF8.GetBytes(canonicalRequest)))));

    /// <summary>keccak256(abi.encode(tag, modelId, pricePerThousandTokensWei, nonce)).</summary>
    public static byte[] Price(string modelId, BigInteger pricePerThousandTokensWei, BigInteger nonce) =>
        Keccak.Hash(_abi.GetABIEncoded(
            new ABIValue("string", PriceTag),
            new ABIValue("string", modelId),
            new ABIValue("uint256", pricePerThousandTokensWei),
            new ABIValue("uint256", nonce)));

    /// <summary>Parses a decimal nonce that fits in uint256, or returns false.</summary>
    public static bool TryParseNonce(string? text, out BigInteger nonce)
    {
        nonce = BigInteger.Zero;
        if (string.IsNullOrEmpty(text) || text.Length > 78 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }
        nonce = BigInteger.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return nonce < BigInteger.One << 256;
    }
}
