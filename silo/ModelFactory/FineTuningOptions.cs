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
}
