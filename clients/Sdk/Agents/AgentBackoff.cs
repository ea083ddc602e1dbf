namespace OpenLedger.Client.Agents;

/// <summary>
/// How long an agent client waits before sending a refused call again, over HTTP or the gateway: the grid's own
/// estimate when it gave one (with a little jitter, so agents told the same time do not come back together), otherwise
/// an exponential backoff, half fixed and half random.
/// </summary>
internal static class AgentBackoff
{
    /// <summary>The wait the grid asked for plus jitter, or null when it is longer than <see cref="AgentClientOptions.MaxDelay"/>.</summary>
    public static TimeSpan? AsAsked(AgentClientOptions options, TimeSpan asked) =>
        asked > options.MaxDelay ? null : asked + Jitter(options.BaseDelay);

    /// <summary>The wait before retry number <paramref name="attempt"/> + 1 when the grid named none.</summary>
    public static TimeSpan Exponential(AgentClientOptions options, int attempt)
    {
        var ceiling = TimeSpan.FromTicks(Math.Min(options.MaxDelay.Ticks, options.BaseDelay.Ticks * (1L << Math.Min(attempt, 20))));
        return ceiling / 2 + Jitter(ceiling / 2);
    }

    private static TimeSpan Jitter(TimeSpan upTo) => TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * upTo.Ticks));
}
