namespace OpenLedger.Silo.ModelFactory;

/// <summary>
/// The key the silo signs fine-tuning requests and prices with when an operator launches a job from the dashboard or
/// <c>POST /v1/fine_tuning/jobs</c> without a signature of their own (section OpenLedger:FineTuning). Models launched
/// that way are owned by this key's address.
/// </summary>
public sealed class FineTuningOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenLedger:FineTuning";

    /// <summary>
    /// The model owner's private key (hex). Prefer <see cref="OwnerKeyFile"/>. With neither, the silo makes a key for
    /// its own lifetime: its models can still be served, but not repriced after the silo restarts.
    /// </summary>
    public string? OwnerKey { get; set; }

    /// <summary>A file holding the model owner's private key (hex), readable by the silo only.</summary>
    public string? OwnerKeyFile { get; set; }

    /// <summary>Why the options cannot be used, naming the setting, or null when they can.</summary>
    public string? Problem()
    {
        if (!string.IsNullOrEmpty(OwnerKey) && !string.IsNullOrEmpty(OwnerKeyFile))
        {
            return $"{Section}: set OwnerKey or OwnerKeyFile, not both.";
        }
        if (!string.IsNullOrEmpty(OwnerKeyFile) && !File.Exists(OwnerKeyFile))
        {
            return $"{Section}:OwnerKeyFile '{OwnerKeyFile}' does not exist.";
        }
        var key = !string.IsNullOrEmpty(OwnerKey) ? OwnerKey : !string.IsNullOrEmpty(OwnerKeyFile) ? File.ReadAllText(OwnerKeyFile).Trim() : null;
        if (key is not null && !IsPrivateKey(key))
        {
            return $"{Section}:{(string.IsNullOrEmpty(OwnerKey) ? "OwnerKeyFile" : "OwnerKey")} must hold a private key: 64 hex digits, with or without 0x.";
        }
        return null;
    }

    private static bool IsPrivateKey(string key)
    {
        var hex = key.StartsWith("0x", StringComparison.Ordinal) ? key[2..] : key;
        return hex.Length == 64 && hex.All(Uri.IsHexDigit);
    }
}
