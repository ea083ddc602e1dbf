using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// One recipient's part of a charged inference: the 0x address (the zero address for the burn), its role and the wei
/// (a decimal string). A data contributor's part may name the Datanet it was earned in and the contributions whose
/// examples the attribution's evidence points at; a contributor whose share spans Datanets appears once per Datanet.
/// </summary>
/// <param name="Recipient">The 0x address; the zero address exactly when <paramref name="Role"/> is <see cref="AccrualRole.Burn"/>.</param>
/// <param name="Role">The part of the fee split the wei comes from.</param>
/// <param name="Wei">The amount, a decimal string of non-negative integer wei.</param>
/// <param name="DatanetId">The Datanet a data contributor's part was earned in, or null when not known (and for the other roles).</param>
/// <param name="ContributionIds">The contributions behind a data contributor's part, as far as the evidence names them; may be empty.</param>
public sealed record EarningsAccrual(
    string Recipient,
    AccrualRole Role,
    string Wei,
    string? DatanetId = null,
    IReadOnlyList<string>? ContributionIds = null);
