using Apache.Arrow;

namespace OpenLedger.Client.Export;

/// <summary>One earnings table as the Flight endpoint lists it: its name, columns and rows at the time of asking.</summary>
public sealed record EarningsTableInfo(string Table, Schema Schema, long Rows);
