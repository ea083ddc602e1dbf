using System.Text.Json;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Crypto;
using Nethereum.KeyStore.Model;
using OpenLedger.Client;
using Spectre.Console;

namespace OpenLedger.Cli.Keys;

/// <summary>
/// Named keys in Web3 Secret Storage (v3) files, scrypt-encrypted, under $OPENLEDGER_HOME/keys
/// (default ~/.openledger/keys). Files are interchangeable with geth and other wallets.
/// </summary>
public sealed class Keystore
{
    // Lighter than geth's standard N=2^18 so a command signs in well under a second; still memory-hard.
    private static readonly ScryptParams _scrypt = new() { N = 1 << 14, R = 8, P = 1, Dklen = 32 };
    private readonly KeyStoreScryptService _service = new();

    /// <summary>Opens the keystore folder, creating it if needed.</summary>
    public Keystore(string? folder = null)
    {
        Folder = folder ?? Path.Combine(
            Environment.GetEnvironmentVariable("OPENLEDGER_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".openledger"),
            "keys");
        Directory.CreateDirectory(Folder);
    }

    /// <summary>Where the key files are.</summary>
    public string Folder { get; }

    /// <summary>Key names and addresses, without decrypting anything.</summary>
    public IReadOnlyList<(string Name, string Address)> List() =>
        Directory.EnumerateFiles(Folder, "*.json").Order()
            .Select(f => (Path.GetFileNameWithoutExtension(f), AddressIn(File.ReadAllText(f))))
            .ToList();

    /// <summary>Creates and stores a new key under <paramref name="name"/>.</summary>
    public ContributorKey Create(string name)
    {
        var path = PathOf(name);
        if (File.Exists(path))
        {
            throw new CliException($"A key named '{name}' already exists in {Folder}.");
        }
        var key = ContributorKey.Generate();
        var json = _service.EncryptAndGenerateKeyStoreAsJson(Password(confirm: true), Convert.FromHexString(key.PrivateKeyHex[2..]), key.Address, _scrypt);
        File.WriteAllText(path, json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return key;
    }

    /// <summary>The address of a stored key, without its password.</summary>
    public string AddressOf(string name) => AddressIn(File.ReadAllText(Existing(name)));

    /// <summary>Decrypts a stored key.</summary>
    public ContributorKey Open(string name)
    {
        var json = File.ReadAllText(Existing(name));
        try
        {
            return new ContributorKey(Convert.ToHexString(new KeyStoreService().DecryptKeyStoreFromJson(Password(confirm: false), json)));
        }
        catch (DecryptionException)
        {
            throw new CliException($"Wrong password for key '{name}'. Set OPENLEDGER_KEY_PASSWORD or type it again.");
        }
    }

    private static string AddressIn(string json)
    {
        using var document = JsonDocument.Parse(json);
        var address = document.RootElement.GetProperty("address").GetString() ?? "";
        return Datanets.EthereumAddress.TryNormalize(address.StartsWith("0x", StringComparison.Ordinal) ? address : "0x" + address)
            ?? throw new CliException("A keystore file holds no valid address.");
    }

    private string Existing(string name)
    {
        var path = PathOf(name);
        return File.Exists(path) ? path : throw new CliException($"No key named '{name}' in {Folder}. Create one with `openledger key new {name}`.");
    }

    private string PathOf(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('.', StringComparison.Ordinal))
        {
            throw new CliException($"'{name}' is not a usable key name; use letters, digits, '-' or '_'.");
        }
        return Path.Combine(Folder, name + ".json");
    }

    private static string Password(bool confirm)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("OPENLEDGER_KEY_PASSWORD");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }
        if (Console.IsInputRedirected)
        {
            throw new CliException("No terminal to ask for the key password: set OPENLEDGER_KEY_PASSWORD.");
        }
        var password = AnsiConsole.Prompt(new TextPrompt<string>("Key password:").Secret());
        if (confirm && AnsiConsole.Prompt(new TextPrompt<string>("Again:").Secret()) != password)
        {
            throw new CliException("The passwords differ; nothing was stored.");
        }
        return password;
    }
}
