namespace OpenLedger.Grains.Economy;

/// <summary>
/// Named points on the settlement path where a crash can be staged, so tests can stop the path at each step and
/// check that a restart neither skips nor repeats an epoch. In a running grid nothing is ever armed.
/// </summary>
public sealed class SettlementFaults
{
    private readonly Lock _lock = new();
    private string? _armed;

    /// <summary>Signed and stored, not yet handed to the node.</summary>
    public const string BeforeSend = "before-send";

    /// <summary>Handed to the node, before the grain records that it was.</summary>
    public const string AfterSend = "after-send";

    /// <summary>Its receipt seen, before the grain records it.</summary>
    public const string AfterReceipt = "after-receipt";

    /// <summary>The transaction final, before the grain records the epoch's new stage.</summary>
    public const string BeforeStageWrite = "before-stage-write";

    /// <summary>Arms one crash at <paramref name="point"/> for the transaction whose purpose starts with <paramref name="purposePrefix"/>.</summary>
    public void Arm(string point, string purposePrefix)
    {
        lock (_lock)
        {
            _armed = $"{point}:{purposePrefix}";
        }
    }

    /// <summary>Throws <see cref="StagedCrashException"/> (once) when the armed point is reached.</summary>
    public void Reached(string point, string purpose)
    {
        lock (_lock)
        {
            if (_armed is { } armed && armed.StartsWith(point + ":", StringComparison.Ordinal) && purpose.StartsWith(armed[(point.Length + 1)..], StringComparison.Ordinal))
            {
                _armed = null;
                throw new StagedCrashException($"{point} of {purpose}");
            }
        }
    }
}

/// <summary>A crash staged by <see cref="SettlementFaults"/>: whatever the grain had not written is lost with it.</summary>
public sealed class StagedCrashException(string where) : Exception($"Staged crash at {where}.");
