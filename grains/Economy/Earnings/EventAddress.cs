using OpenLedger.Datanets;

namespace OpenLedger.Economy.Earnings;

/// <summary>Reads the 0x addresses events carry into the economy's canonical form, refusing malformed ones with a typed error.</summary>
internal static class EventAddress
{
    /// <summary>The canonical form of a non-zero address, or an <see cref="InvalidEarningsEventException"/> naming the field.</summary>
    public static string Require(string eventKey, string field, string? address)
    {
        var canonical = Canonical(eventKey, field, address);
        if (canonical == Account.Zero)
        {
            throw new InvalidEarningsEventException(eventKey, field, address, "is the zero address, which only the burn may use");
        }
        return canonical;
    }

    /// <summary>The canonical form of any address, the zero address included.</summary>
    public static string Canonical(string eventKey, string field, string? address) =>
        EthereumAddress.TryNormalize(address)
            ?? throw new InvalidEarningsEventException(eventKey, field, address, "is not an Ethereum address (0x followed by 40 hex digits)");
}
