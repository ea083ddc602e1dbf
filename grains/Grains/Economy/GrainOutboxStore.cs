using System.Globalization;
using System.Numerics;
using System.Text.Json;
using OpenLedger.Economy;
using OpenLedger.Economy.Chain;

namespace OpenLedger.Grains.Economy;

/// <summary>
/// The settlement signer's outbox kept in the settlement grain's state: an entry and the advanced nonce go to storage
/// in one write. The staged crash points sit around the writes, where a real crash would lose or keep them.
/// </summary>
internal sealed class GrainOutboxStore(IPersistentState<SettlementState> state, SettlementFaults faults) : IOutboxStore
{
    private static readonly JsonSerializerOptions _json = new() { Converters = { new WeiJsonConverter() } };

    /// <inheritdoc />
    public Task<OutboxSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var entries = state.State.Outbox.Values.Select(json => JsonSerializer.Deserialize<OutboxEntry>(json, _json)!).ToList();
        BigInteger? next = state.State.NextNonce is { } text ? BigInteger.Parse(text, CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new OutboxSnapshot(entries, next));
    }

    /// <inheritdoc />
    public async Task SaveAsync(OutboxEntry entry, BigInteger nextNonce, CancellationToken cancellationToken)
    {
        switch (entry.Stage)
        {
            case OutboxStage.Broadcast:
                faults.Reached(SettlementFaults.AfterSend, entry.Purpose);
                break;
            case OutboxStage.Mined or OutboxStage.Confirmed or OutboxStage.Reverted:
                faults.Reached(SettlementFaults.AfterReceipt, entry.Purpose);
                break;
        }
        var (previousEntry, previousNonce) = (state.State.Outbox.GetValueOrDefault(entry.Purpose), state.State.NextNonce);
        state.State.Outbox[entry.Purpose] = JsonSerializer.Serialize(entry, _json);
        state.State.NextNonce = nextNonce.ToString(CultureInfo.InvariantCulture);
        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch
        {
            if (previousEntry is null)
            {
                state.State.Outbox.Remove(entry.Purpose);
            }
            else
            {
                state.State.Outbox[entry.Purpose] = previousEntry;
            }
            state.State.NextNonce = previousNonce;
            throw;
        }
        if (entry.Stage == OutboxStage.Signed)
        {
            faults.Reached(SettlementFaults.BeforeSend, entry.Purpose);
        }
    }
}
