namespace OpenLedger.Model.Serving;

/// <summary>How much one serving engine takes on.</summary>
/// <param name="MaxBatch">Requests decoded together at most.</param>
/// <param name="AdapterPoolBytes">Device bytes for resident adapter factors.</param>
public sealed record ServingOptions(int MaxBatch = 32, long AdapterPoolBytes = 256L << 20);
