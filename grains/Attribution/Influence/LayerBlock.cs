namespace OpenLedger.Attribution.Influence;

/// <summary>
/// One layer's slice of a projected gradient row: <see cref="Length"/> values starting at <see cref="Offset"/>.
/// A row is the concatenation of its layers' blocks, in order.
/// </summary>
public sealed record LayerBlock(string Name, int Offset, int Length);
