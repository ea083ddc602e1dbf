using System.Numerics;
using Nethereum.ABI.EIP712;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using OpenLedger.Testing;

namespace OpenLedger.Chain.Tests;

/// <summary>EIP-712 signatures made with Nethereum's signer, as a wallet would make them.</summary>
public static class TypedSignatures
{
    private static readonly Eip712TypedDataSigner _signer = new();

    private static readonly MemberDescription[] _domainType =
    [
        new() { Name = "name", Type = "string" },
        new() { Name = "version", Type = "string" },
        new() { Name = "chainId", Type = "uint256" },
        new() { Name = "verifyingContract", Type = "address" },
    ];

    /// <summary>An EIP-2612 permit signature for OpenToken.</summary>
    public static byte[] Permit(EthECKey owner, string token, string spender, BigInteger value, BigInteger nonce, BigInteger deadline) =>
        Sign(owner, "OpenLedger", token, "Permit",
            [
                new() { Name = "owner", Type = "address" },
                new() { Name = "spender", Type = "address" },
                new() { Name = "value", Type = "uint256" },
                new() { Name = "nonce", Type = "uint256" },
                new() { Name = "deadline", Type = "uint256" },
            ],
            [
                new() { TypeName = "address", Value = owner.GetPublicAddress() },
                new() { TypeName = "address", Value = spender },
                new() { TypeName = "uint256", Value = value },
                new() { TypeName = "uint256", Value = nonce },
                new() { TypeName = "uint256", Value = deadline },
            ]);

    /// <summary>A relayed claim for AttributionDistributor, signed by <paramref name="signer"/> for <paramref name="account"/>.</summary>
    public static byte[] Claim(EthECKey signer, string distributor, string account, BigInteger cumulativeAmount, string to, BigInteger nonce, BigInteger deadline) =>
        Sign(signer, "OpenLedger Distributor", distributor, "Claim",
            [
                new() { Name = "account", Type = "address" },
                new() { Name = "cumulativeAmount", Type = "uint256" },
                new() { Name = "to", Type = "address" },
                new() { Name = "nonce", Type = "uint256" },
                new() { Name = "deadline", Type = "uint256" },
            ],
            [
                new() { TypeName = "address", Value = account },
                new() { TypeName = "uint256", Value = cumulativeAmount },
                new() { TypeName = "address", Value = to },
                new() { TypeName = "uint256", Value = nonce },
                new() { TypeName = "uint256", Value = deadline },
            ]);

    /// <summary>Splits a 65-byte signature into (v, r, s) for permit-style functions.</summary>
    public static (byte V, byte[] R, byte[] S) Split(byte[] signature) => (signature[64], signature[..32], signature[32..64]);

    private static byte[] Sign(EthECKey key, string name, string verifyingContract, string primaryType, MemberDescription[] type, MemberValue[] message)
    {
        var typedData = new TypedData<Domain>
        {
            Domain = new Domain { Name = name, Version = "1", ChainId = Ganache.ChainId, VerifyingContract = verifyingContract },
            Types = new Dictionary<string, MemberDescription[]> { ["EIP712Domain"] = _domainType, [primaryType] = type },
            PrimaryType = primaryType,
            Message = message,
        };
        return _signer.SignTypedDataV4(typedData, key).HexToByteArray();
    }
}
