namespace OpenLedger.Model.Serving;

/// <summary>A request named an adapter this engine does not hold.</summary>
public sealed class UnknownAdapterException(string adapterId)
    : Exception($"No adapter '{adapterId}' is loaded on this engine; deploy it first.")
{
    /// <summary>The adapter asked for.</summary>
    public string AdapterId { get; } = adapterId;
}
