using Orleans.Concurrency;

namespace OpenLedger.Agents;

/// <summary>
/// An agent (key: its 0x address, lowercase): its API keys, its stake as the chain holds it, its limits, the calls it
/// has in flight and the evidence of its misbehaviour. Every credential check and every limit lives here, so the HTTP
/// API and any other door ask the same grain. Not reentrant: two calls can never both pass a limit meant for one.
/// </summary>
[Alias("OpenLedger.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>A fresh challenge for the agent to sign (EIP-191 personal_sign) to get a key; valid for a few minutes.</summary>
    [Alias("Challenge")]
    Task<AgentChallenge> Challenge();

    /// <summary>
    /// Issues an API key once <paramref name="signature"/> proves the address signed <paramref name="challenge"/> and
    /// the chain shows the minimum stake. The key's secret is returned here only; the grain keeps its hash.
    /// </summary>
    [Alias("Register")]
    Task<IssuedAgentKey> Register(string challenge, string signature, string? label);

    /// <summary>
    /// Checks the call's key, signature, stake and limits, and admits it: an inference holds a concurrency slot until
    /// <see cref="Finish"/>. A refusal throws one of the agent errors before any work is done.
    /// </summary>
    [Alias("Admit")]
    Task<AgentAdmission> Admit(AgentCall call);

    /// <summary>Frees the call's slot and settles its token count against the token rate (the estimate is corrected).</summary>
    [Alias("Finish")]
    Task Finish(string leaseId, int tokens);

    /// <summary>Records a call the fee vault refused (the deposit could not cover it); repeated, it becomes evidence.</summary>
    [Alias("DepositRefused")]
    Task DepositRefused(string detail);

    /// <summary>Revokes a key; it stops working at once. Idempotent.</summary>
    [Alias("Revoke")]
    Task Revoke(string keyId);

    /// <summary>Sets the agent's limits (an operator's decision); null fields take the grid's defaults.</summary>
    [Alias("SetLimits")]
    Task SetLimits(AgentLimits limits);

    /// <summary>Everything about the agent: stake, keys, limits, spending, warnings and evidence with slash outcomes.</summary>
    [Alias("Status")]
    Task<AgentStatus> Status(bool refreshStake);

    /// <summary>The settlement grain's report of a slash it carried out (or could not).</summary>
    [Alias("Slashed"), OneWay]
    Task Slashed(SlashOutcome outcome);
}
