using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Nethereum.Signer;
using OpenLedger.Datanets.Signing;
using OpenLedger.Models;

namespace OpenLedger.Silo.ModelFactory;

/// <summary>
/// The silo's model-owner key (<see cref="FineTuningOptions"/>): it signs the training requests and prices of models an
/// operator launches without code, exactly as the CLI signs them with a keystore key, so the grains check the same
/// signatures whoever launched the job.
/// </summary>
public sealed class ModelOwnerKey
{
    private readonly string _privateKey;

    /// <summary>Reads the configured key, or makes one for this process's lifetime.</summary>
    public ModelOwnerKey(IOptions<FineTuningOptions> options)
    {
        var configured = options.Value.OwnerKey is { Length: > 0 } key ? key
            : options.Value.OwnerKeyFile is { Length: > 0 } file ? File.ReadAllText(file).Trim()
            : null;
        _privateKey = configured is null ? EthECKey.GenerateKey().GetPrivateKey() : configured;
        if (_privateKey.StartsWith("0x", StringComparison.Ordinal))
        {
            _privateKey = _privateKey[2..];
        }
        Address = PersonalSignature.AddressOf(_privateKey);
        IsConfigured = configured is not null;
    }

    /// <summary>The owner's lower-case 0x address.</summary>
    public string Address { get; }

    /// <summary>False when the key was made for this process (models launched with it cannot be repriced after a restart).</summary>
    public bool IsConfigured { get; }

    /// <summary><paramref name="spec"/> owned by this key and signed for job <paramref name="jobId"/>.</summary>
    public TrainingJobSpec SignTraining(string jobId, TrainingJobSpec spec)
    {
        var owned = spec with { Owner = Address, Signature = "" };
        return owned with { Signature = PersonalSignature.Sign(SignedDigests.Training(jobId, owned.CanonicalText()), _privateKey) };
    }

    /// <summary>A price for <paramref name="modelId"/> signed by this key, with a fresh 128-bit nonce.</summary>
    public SignedPrice SignPrice(string modelId, BigInteger pricePerThousandTokensWei)
    {
        var nonce = new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true);
        return new SignedPrice(pricePerThousandTokensWei.ToString(CultureInfo.InvariantCulture), nonce.ToString(CultureInfo.InvariantCulture),
            PersonalSignature.Sign(SignedDigests.Price(modelId, pricePerThousandTokensWei, nonce), _privateKey));
    }
}
