namespace OpenLedger.Economy.Fees;

/// <summary>Who receives the fixed parts of a fee: the protocol treasury and the served model's developer (0x addresses).</summary>
public sealed record FeeRecipients(string Protocol, string ModelDeveloper);
