namespace OpenLedger.Grains.Economy;

/// <summary>The settlement key file cannot be used; the message names the file and what to do.</summary>
public abstract class SettlerKeyFileException(string path, string message) : Exception(message)
{
    /// <summary>The keystore file, as configured.</summary>
    public string Path { get; } = path;
}

/// <summary>The settlement key file is not a Web3 Secret Storage (v3) keystore: keys at rest must be encrypted.</summary>
public sealed class SettlerKeyNotEncryptedException(string path)
    : SettlerKeyFileException(path,
        $"{EconomyOptions.Section}:SettlerKeyFile '{path}' is not an encrypted keystore (Web3 Secret Storage v3 JSON). Keys at rest must be encrypted: " +
        "write one with `openledger chain deploy --settler-key-out FILE --settler-password-out FILE` or any wallet that exports v3 keystores, " +
        "and give its password in SettlerKeyPasswordFile.");

/// <summary>The password does not open the settlement keystore.</summary>
public sealed class SettlerKeyPasswordException(string path, string passwordSource)
    : SettlerKeyFileException(path,
        $"The password from {passwordSource} does not open the settlement keystore '{path}'. Check {EconomyOptions.Section}:SettlerKeyPasswordFile " +
        "(or SettlerKeyPassword) belongs to this keystore.");
