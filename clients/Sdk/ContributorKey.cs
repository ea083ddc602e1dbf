using System.Numerics;
using System.Security.Cryptography;
using Nethereum.Signer;
using OpenLedger.Datanets;
using OpenLedger.Datanets.Signing;
using OpenLedger.Models;

namespace OpenLedger.Client;

/// <summary>An Ethereum key that signs contributions and curation decisions on its holder's behalf.</summary>
public sealed class ContributorKey
{
    private readonly string _privateKey;

    /// <summary>Wraps a hex private key (with or without 0x).</summary>
    public ContributorKey(string privateKeyHex)
    {
        _privateKey = privateKeyHex.StartsWith("0x", StringComparison.Ordinal) ? privateKeyHex[2..] : privateKeyHex;
        Address = PersonalSignature.AddressOf(_privateKey);
    }

    /// <summary>The lower-case 0x address.</summary>
    public string Address { get; }

    /// <summary>The private key as 0x-hex, for the keystore.</summary>
    public string PrivateKeyHex => "0x" + _privateKey;

    /// <summary>A new random key.</summary>
    public static ContributorKey Generate() => new(EthECKey.GenerateKey().GetPrivateKey());

    /// <summary>A fresh nonce: 128 random bits in decimal, so two signers never collide by chance.</summary>
    public static string FreshNonce() =>
        new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Signs a contribution of <paramref name="payload"/> to <paramref name="datanetId"/>.</summary>
    public SignedContribution SignContribution(string datanetId, byte[] payload, string licence, string? nonce = null)
    {
        nonce ??= FreshNonce();
        if (!SignedDigests.TryParseNonce(nonce, out var value))
        {
            throw new ArgumentException("A nonce is a decimal integer below 2^256.", nameof(nonce));
        }
        var digest = SignedDigests.Contribution(datanetId, Keccak.Hash(payload), licence, value);
        return new SignedContribution(Address, payload, licence, nonce, PersonalSignature.Sign(digest, _privateKey));
    }

    /// <summary>Signs a curation decision on <paramref name="contributionId"/>.</summary>
    public CurationDecision SignCuration(string datanetId, string contributionId, bool approve, string reason)
    {
        var digest = SignedDigests.Curation(datanetId, contributionId, approve, reason);
        return new CurationDecision(contributionId, Address, approve, reason, PersonalSignature.Sign(digest, _privateKey));
    }

    /// <summary>Signs a training request as the model's owner (the job's owner must be this key's address).</summary>
    public TrainingJobSpec SignTraining(string jobId, TrainingJobSpec spec)
    {
        var owned = spec with { Owner = Address, Signature = "" };
        var digest = SignedDigests.Training(jobId, owned.CanonicalText());
        return owned with { Signature = PersonalSignature.Sign(digest, _privateKey) };
    }

    /// <summary>Signs a model price of <paramref name="pricePerThousandTokensWei"/> wei per 1,000 tokens.</summary>
    public SignedPrice SignPrice(string modelId, BigInteger pricePerThousandTokensWei, string? nonce = null)
    {
        nonce ??= FreshNonce();
        if (!SignedDigests.TryParseNonce(nonce, out var value))
        {
            throw new ArgumentException("A nonce is a decimal integer below 2^256.", nameof(nonce));
        }
        var price = pricePerThousandTokensWei.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new SignedPrice(price, nonce, PersonalSignature.Sign(SignedDigests.Price(modelId, pricePerThousandTokensWei, value), _privateKey));
    }
}
