using System.Security.Cryptography;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;

namespace OpenLedger.Client.Chain;

/// <summary>
/// The settlement key as the silo reads it: an encrypted keystore (Web3 Secret Storage v3) and a password file beside
/// it, each readable by its owner only. The password is new and random each time, so no password is ever in the repo.
/// `openledger chain deploy --settler-key-out` and the tests' economy stacks write it the same way.
/// </summary>
public static class SettlerKeyFiles
{
    // The CLI keystore's parameters: a silo opens the key once at start, well under a second.
    private static readonly ScryptParams _scrypt = new() { N = 1 << 14, R = 8, P = 1, Dklen = 32 };

    /// <summary>Encrypts <paramref name="privateKey"/> into <paramref name="keyFile"/> under a new password written to <paramref name="passwordFile"/>.</summary>
    public static void Write(string privateKey, string keyFile, string passwordFile)
    {
        var key = new ContributorKey(privateKey);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var json = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(password, Convert.FromHexString(key.PrivateKeyHex[2..]), key.Address, _scrypt);
        WriteOwnerOnly(passwordFile, password + "\n");
        WriteOwnerOnly(keyFile, json);
    }

    // The file is made readable by its owner only before the secret goes in.
    private static void WriteOwnerOnly(string path, string text)
    {
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(path, text);
    }
}
