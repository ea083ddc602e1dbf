using System.Globalization;
using System.Numerics;
using OpenLedger.Client.OpenAi;
using OpenLedger.Serving;
using Grid = OpenLedger.Agents;

namespace OpenLedger.Client.Agents;

/// <summary>
/// The grid's records, as grain calls return them, in the SDK's types: what an HTTP agent reads from the JSON of the
/// same route, field for field, so an agent sees the same values over either door.
/// </summary>
internal static class AgentGatewayConversions
{
    /// <summary>A listed model, as <c>GET /v1/models</c> describes it.</summary>
    public static OpenAiModel Model(ServedModel model) =>
        new(model.Id, model.IsAdapter ? model.Created : DateTimeOffset.UnixEpoch, "openledger", model.BaseModel, model.Residency, model.Silo,
            OptionalWei(model.PricePer1kTokensWei));

    /// <summary>
    /// A completion piece: until the grid names the inference, it carries <paramref name="requestId"/> as its id, as
    /// the HTTP API's chunks do; usage comes with the last piece.
    /// </summary>
    public static OpenAiCompletionChunk Chunk(CompletionChunk chunk, string requestId) =>
        new(chunk.Text, chunk.FinishReason, chunk.FinishReason is null ? null : Usage(chunk), chunk.InferenceId ?? requestId, chunk.Attribution);

    /// <summary>The token counts a last piece reports.</summary>
    public static OpenAiUsage Usage(CompletionChunk last) => new(last.PromptTokens, last.CompletionTokens, last.PromptTokens + last.CompletionTokens);

    /// <summary>The agent's status, as <c>GET /v1/agent</c> describes it.</summary>
    public static AgentStatus Status(Grid.AgentStatus status) => new(
        status.Address,
        status.Eligible,
        Wei(status.StakeWei),
        Wei(status.MinimumStakeWei),
        status.Keys.Select(k => new AgentKeyInfo(k.KeyId, k.Label, k.CreatedAt, k.RevokedAt)).ToList(),
        new AgentLimits(status.Limits.RequestsPerSecond ?? 0, status.Limits.TokensPerSecond ?? 0, status.Limits.Concurrency ?? 0, OptionalWei(status.Limits.EpochBudgetWei)),
        new AgentUsage(status.Usage.InFlight, Wei(status.Usage.DepositWei), Wei(status.Usage.AvailableWei), Wei(status.Usage.ReservedWei), Wei(status.Usage.UnsettledWei),
            OptionalWei(status.Usage.BudgetLeftWei)),
        status.Warnings,
        status.Evidence.Select(Evidence).ToList());

    /// <summary>A key the grid has just issued.</summary>
    public static IssuedAgentKey Issued(Grid.IssuedAgentKey issued) => new(issued.Key, issued.KeyId, issued.Address, Wei(issued.StakeWei), issued.CreatedAt);

    private static AgentEvidence Evidence(Grid.MisbehaviourEvidence evidence) => new(
        evidence.Hash,
        Enum.TryParse<AgentMisbehaviour>(evidence.Kind.ToString(), out var kind) ? kind : null,
        evidence.ObservedAt,
        evidence.Detail,
        evidence.Slash is { } slash
            ? new AgentSlash(Enum.TryParse<SlashStage>(slash.Stage.ToString(), out var stage) ? stage : null, Wei(slash.AmountWei),
                OptionalWei(slash.ToChallengerWei) ?? BigInteger.Zero, OptionalWei(slash.BurnedWei) ?? BigInteger.Zero, slash.Challenger, slash.Transaction)
            : null);

    private static BigInteger Wei(string wei) => BigInteger.Parse(wei, NumberStyles.None, CultureInfo.InvariantCulture);

    private static BigInteger? OptionalWei(string? wei) =>
        BigInteger.TryParse(wei, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
