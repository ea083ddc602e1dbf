using System.Diagnostics.Metrics;
using System.Globalization;
using System.Numerics;
using OpenLedger.Economy;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Grains.Diagnostics;

/// <summary>
/// The fee ledger's totals on the grid's meter, in OPEN as doubles: a dashboard's view of money. The ledger itself
/// stays in exact wei; these only ever move by what a ledger shard has just written.
/// </summary>
public static class LedgerMetrics
{
    private const double WeiPerOpen = 1e18;

    private static readonly Meter _meter = new(GridMetrics.MeterName, "1.0");

    /// <summary>Inferences charged, by outcome: paid (an agent paid a fee) or free (recorded at zero).</summary>
    public static readonly Counter<long> Charges =
        _meter.CreateCounter<long>("openledger.ledger.charges", "{inference}", "Inferences charged on the ledger, by outcome (paid, free).");

    /// <summary>OPEN charged to agents.</summary>
    public static readonly Counter<double> Charged =
        _meter.CreateCounter<double>("openledger.ledger.charged_open", "{OPEN}", "OPEN charged to agents for inferences.");

    /// <summary>OPEN accrued to recipients, by role of the fee split (burn, protocol, model developer, data contributor).</summary>
    public static readonly Counter<double> Accrued =
        _meter.CreateCounter<double>("openledger.ledger.accrued_open", "{OPEN}", "OPEN accrued by the fee split, by role.");

    /// <summary>The role label for each part of the fee split.</summary>
    public static string RoleLabel(AccrualRole role) => role switch
    {
        AccrualRole.Burn => "burn",
        AccrualRole.Protocol => "protocol",
        AccrualRole.ModelDeveloper => "model_developer",
        AccrualRole.DataContributor => "data_contributor",
        _ => "other",
    };

    /// <summary>Counts a charge a ledger shard has just written (a repeated charge is not written, so not counted).</summary>
    public static void Recorded(InferenceCharge charge)
    {
        var fee = ParseWei(charge.FeeWei);
        Charges.Add(1, new KeyValuePair<string, object?>("outcome", fee.IsZero ? "free" : "paid"));
        Charged.Add(ToOpen(fee));
        foreach (var accrual in charge.Accruals)
        {
            // Roles come over the wire as names: anything unknown is one bounded "other", never the raw text.
            var role = Enum.TryParse<AccrualRole>(accrual.Role, out var known) ? RoleLabel(known) : "other";
            Accrued.Add(ToOpen(ParseWei(accrual.Wei)), new KeyValuePair<string, object?>("role", role));
        }
    }

    /// <summary>OPEN for <paramref name="wei"/>, as a double (metrics only: never for money that is paid).</summary>
    public static double ToOpen(BigInteger wei) => (double)wei / WeiPerOpen;

    private static BigInteger ParseWei(string wei) => BigInteger.Parse(wei, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Publishes every outcome and role at zero.</summary>
    public static void Prime()
    {
        Charges.Add(0, new KeyValuePair<string, object?>("outcome", "paid"));
        Charges.Add(0, new KeyValuePair<string, object?>("outcome", "free"));
        Charged.Add(0);
        foreach (var role in Enum.GetValues<AccrualRole>())
        {
            Accrued.Add(0, new KeyValuePair<string, object?>("role", RoleLabel(role)));
        }
    }
}
