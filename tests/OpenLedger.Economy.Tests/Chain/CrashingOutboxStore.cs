using System.Numerics;
using OpenLedger.Economy.Chain;

namespace OpenLedger.Economy.Tests.Chain;

/// <summary>The process "died" at a chosen save: the sender that hit it is abandoned, the store survives.</summary>
public sealed class SimulatedCrashException(string where) : Exception($"Simulated crash {where}.");

/// <summary>
/// An in-memory outbox store standing in for grain state, which survives the sender. It can kill the process at one
/// chosen point: just before a save of a given stage (the write is lost) or just after it (the write is durable).
/// </summary>
public sealed class CrashingOutboxStore : IOutboxStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OutboxEntry> _entries = [];
    private BigInteger? _nextNonce;
    private (OutboxStage Stage, bool AfterWrite)? _crash;

    /// <summary>Every save that reached the store, in order.</summary>
    public List<OutboxEntry> Saves { get; } = [];

    /// <summary>Crashes once, right after the next save of an entry in <paramref name="stage"/> is durable.</summary>
    public void CrashAfterSaving(OutboxStage stage) => _crash = (stage, true);

    /// <summary>Crashes once, right before the next save of an entry in <paramref name="stage"/> (that write is lost).</summary>
    public void CrashBeforeSaving(OutboxStage stage) => _crash = (stage, false);

    /// <summary>The stored entry for a purpose, or null.</summary>
    public OutboxEntry? Get(string purpose)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault(purpose);
        }
    }

    /// <inheritdoc />
    public Task<OutboxSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new OutboxSnapshot([.. _entries.Values], _nextNonce));
        }
    }

    /// <inheritdoc />
    public Task SaveAsync(OutboxEntry entry, BigInteger nextNonce, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_crash is { AfterWrite: false } before && before.Stage == entry.Stage)
            {
                _crash = null;
                throw new SimulatedCrashException($"before saving '{entry.Purpose}' as {entry.Stage}");
            }
            _entries[entry.Purpose] = entry;
            _nextNonce = nextNonce;
            Saves.Add(entry);
            if (_crash is { AfterWrite: true } after && after.Stage == entry.Stage)
            {
                _crash = null;
                throw new SimulatedCrashException($"after saving '{entry.Purpose}' as {entry.Stage}");
            }
        }
        return Task.CompletedTask;
    }
}
