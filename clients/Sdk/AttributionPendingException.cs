using System.Globalization;
using OpenLedger.Errors;

namespace OpenLedger.Client;

/// <summary>An inference's attribution was still being computed when the caller stopped waiting for it.</summary>
public sealed class AttributionPendingException(string inferenceId, TimeSpan waited)
    : OpenLedgerException(string.Create(CultureInfo.InvariantCulture,
        $"The attribution of inference '{inferenceId}' is still pending after {waited.TotalSeconds:0.#} s; it is queued behind other answers. Ask again later, or wait longer (`openledger attribution show {inferenceId} --wait 120`)."))
{
    /// <summary>The inference.</summary>
    public string InferenceId { get; } = inferenceId;

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Waited { get; } = waited;

    /// <inheritdoc />
    public override string Code => "attribution_pending";
}
