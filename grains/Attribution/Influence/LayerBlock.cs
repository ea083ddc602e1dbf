namespace OpenLedger.Attribution.Influence;

/// <summary>
/// One layer's slice of a projected gradient row: <see cref="Length"/> values starting at <see cref="Offset"/>.
/// A row is the concatenation of its layers' blocks, in order.
/// </summary>
public sealed record LayerBlock(string Name, int Offset, int Length)
{
    /// <summary>Blocks laid end to end from each layer's name and width, in row order.</summary>
    public static IReadOnlyList<LayerBlock> Contiguous(IEnumerable<(string Name, int Length)> layout)
    {
        var blocks = new List<LayerBlock>();
        foreach (var (name, length) in layout)
        {
            blocks.Add(new LayerBlock(name, blocks.Count == 0 ? 0 : blocks[^1].Offset + blocks[^1].Length, length));
        }
        return blocks;
    }
}
