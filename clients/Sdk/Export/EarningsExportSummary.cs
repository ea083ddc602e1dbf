namespace OpenLedger.Client.Export;

/// <summary>What an export wrote: the table, the format, rows, bytes on disk and the file.</summary>
public sealed record EarningsExportSummary(string Table, EarningsFileFormat Format, long Rows, long Bytes, string Path);
