using System.Text.Json;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Crypto;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// Opens the settlement key from its encrypted keystore file (Web3 Secret Storage v3, the format geth, wallets and the
/// CLI's keystore write), with the password from configuration or a password file. A plain-hex key file is refused:
/// plain keys are accepted only as <see cref="EconomyOptions.SettlerKey"/>, which tests use.
/// </summary>
public static class SettlerKeystore
{
    /// <summary>The private key (hex) in <paramref name="path"/>, decrypted with <paramref name="password"/>.</summary>
    /// <param name="path">The keystore file.</param>
    /// <param name="password">The password.</param>
    /// <param name="passwordSource">Where the password came from, for the error message.</param>
    public static string Open(string path, string password, string passwordSource)
    {
        var json = File.ReadAllText(path);
        if (!IsV3Keystore(json))
        {
            throw new SettlerKeyNotEncryptedException(path);
        }
        try
        {
            return Convert.ToHexStringLower(new KeyStoreService().DecryptKeyStoreFromJson(password, json));
        }
        catch (DecryptionException)
        {
            throw new SettlerKeyPasswordException(path, passwordSource);
        }
    }

    // A v3 keystore is a JSON object with version 3 and a crypto section; anything else (hex text above all) is not one.
    private static bool IsV3Keystore(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.Number && version.GetInt32() == 3
                && (root.TryGetProperty("crypto", out _) || root.TryGetProperty("Crypto", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
