using System.Text;
using Apache.Arrow.Flight;
using OpenLedger.Economy.Earnings.Tables;

namespace OpenLedger.Silo.Flight;

/// <summary>
/// How Flight calls name an earnings table: a descriptor path <c>["earnings", "accruals"]</c> (or just
/// <c>["accruals"]</c>), a command with the text <c>earnings/accruals</c>, or a ticket with that text.
/// </summary>
public static class EarningsFlightNames
{
    /// <summary>The descriptor the endpoint lists for <paramref name="table"/>.</summary>
    public static FlightDescriptor Descriptor(string table) => FlightDescriptor.CreatePathDescriptor(EarningsTables.Dataset, table);

    /// <summary>The ticket DoGet takes for <paramref name="table"/>.</summary>
    public static FlightTicket Ticket(string table) => new($"{EarningsTables.Dataset}/{table}");

    /// <summary>The canonical table a descriptor names; an <see cref="UnknownEarningsTableException"/> for any other.</summary>
    public static string TableOf(FlightDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return TableOf(descriptor.Type == FlightDescriptorType.Path
            ? string.Join('/', descriptor.Paths)
            : descriptor.Command.ToStringUtf8());
    }

    /// <summary>The canonical table a ticket names; an <see cref="UnknownEarningsTableException"/> for any other.</summary>
    public static string TableOf(FlightTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return TableOf(Encoding.UTF8.GetString(ticket.Ticket.Span));
    }

    private static string TableOf(string name)
    {
        var prefix = EarningsTables.Dataset + "/";
        return EarningsTables.Require(name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? name[prefix.Length..] : name);
    }
}
