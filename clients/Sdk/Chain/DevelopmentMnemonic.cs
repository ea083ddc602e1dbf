using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;

namespace OpenLedger.Client.Chain;

/// <summary>
/// Keys of the local chain's fixed development mnemonic (the one `./openledger up` and the tests give ganache), derived
/// as ganache does: BIP-39 seed, BIP-32 path m/44'/60'/0'/0/index. Account 0 deploys the economy and holds the supply;
/// account 1 is the settler. Only for the local chain: production keys live in an encrypted keystore, never a mnemonic
/// in source. (The NuGet copy here has no Nethereum.HdWallet, so the few BIP-32 steps are written out.)
/// </summary>
public static class DevelopmentMnemonic
{
    /// <summary>The development mnemonic; its accounts are funded at genesis on the local chain. Never use it on a real chain.</summary>
    public const string Phrase = "test test test test test test test test test test test junk";

    /// <summary>The deployer's account index.</summary>
    public const int DeployerIndex = 0;

    /// <summary>The settler's account index.</summary>
    public const int SettlerIndex = 1;

    /// <summary>The local agent that pays for the local agent key's calls (its deposit is in the fee vault).</summary>
    public const int AgentIndex = 2;

    // The order of secp256k1's group.
    private static readonly BigInteger _curveOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The private key (0x-prefixed hex) of account <paramref name="index"/> of <paramref name="mnemonic"/>.</summary>
    public static string PrivateKey(int index, string mnemonic = Phrase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var seed = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(mnemonic.Normalize(NormalizationForm.FormKD)), Encoding.UTF8.GetBytes("mnemonic"), 2048, HashAlgorithmName.SHA512, 64);
        var master = HMACSHA512.HashData(Encoding.ASCII.GetBytes("Bitcoin seed"), seed);
        var (key, chainCode) = (master[..32], master[32..]);
        foreach (var step in new[] { Hardened(44), Hardened(60), Hardened(0), 0u, (uint)index })
        {
            (key, chainCode) = Child(key, chainCode, step);
        }
        return key.ToHex(true);
    }

    /// <summary>The address of account <paramref name="index"/> of <paramref name="mnemonic"/>.</summary>
    public static string Address(int index, string mnemonic = Phrase) => new EthECKey(PrivateKey(index, mnemonic)).GetPublicAddress();

    private static uint Hardened(uint index) => index | 0x8000_0000u;

    private static (byte[] Key, byte[] ChainCode) Child(byte[] key, byte[] chainCode, uint index)
    {
        var data = new byte[37];
        if ((index & 0x8000_0000u) != 0)
        {
            key.CopyTo(data, 1); // 0x00 || key
        }
        else
        {
            new EthECKey(key, true).GetPubKey(true).CopyTo(data, 0); // compressed public key
        }
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), index);
        var digest = HMACSHA512.HashData(chainCode, data);
        var child = (new BigInteger(digest.AsSpan(0, 32), isUnsigned: true, isBigEndian: true)
            + new BigInteger(key, isUnsigned: true, isBigEndian: true)) % _curveOrder;
        var childKey = new byte[32];
        child.TryWriteBytes(childKey.AsSpan(32 - child.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return (childKey, digest[32..]);
    }
}
