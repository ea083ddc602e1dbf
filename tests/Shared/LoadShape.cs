namespace OpenLedger.Testing;

/// <summary>
/// How hard one phase of a load run pushes each kind of operation. A rate (operations a second) is an open loop: calls
/// go out on schedule whether or not earlier ones came back, as independent agents send them, so an overloaded grid
/// shows as refusals or growing latency rather than a slower client. Without a rate, that many workers call in closed
/// loops (each sends its next call when the last one is answered).
/// </summary>
/// <param name="Name">The phase's name in reports.</param>
/// <param name="Duration">How long calls are sent.</param>
/// <param name="InferenceRate">Completions a second over HTTP, or null for closed loops.</param>
/// <param name="ContributionRate">Signed contributions a second through the SDK, or null for closed loops.</param>
/// <param name="QueryRate">Reads a second (earnings and grid reads over HTTP, SDK reads), or null for closed loops.</param>
/// <param name="Workers">Workers per kind in closed loops: inference, contributions, queries.</param>
public sealed record LoadShape(string Name, TimeSpan Duration, double? InferenceRate, double? ContributionRate, double? QueryRate,
    (int Inference, int Contributions, int Queries) Workers = default);
