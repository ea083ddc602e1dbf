namespace OpenLedger.Economy.Earnings;

/// <summary>What one account earned in a posted epoch (the growth of its cumulative leaf), in decimal wei.</summary>
/// <param name="Account">The account's 0x address.</param>
/// <param name="Wei">The epoch's amount for the account, a decimal string of integer wei.</param>
public sealed record PostedAmount(string Account, string Wei);
