using System.Numerics;

namespace OpenLedger.Grains.Agents;

/// <summary>
/// How the grid treats agents (section OpenLedger:Agents): default limits, when refusals become misbehaviour, how
/// much a slash takes and who brings the evidence. Limits are deliberately generous: they exist to stop a runaway
/// agent, not to shape ordinary traffic.
/// </summary>
public sealed class AgentPolicyOptions
{
    /// <summary>The configuration section (shared with the silo's static keys).</summary>
    public const string Section = "OpenLedger:Agents";

    /// <summary>Requests per second an agent may make. Default 50.</summary>
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>Prompt and completion tokens per second (estimated at admission, corrected at the end). Default 20,000.</summary>
    public double TokensPerSecond { get; set; } = 20_000;

    /// <summary>Inferences an agent may have in flight at once. Default 64.</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>The default epoch budget in wei (decimal); empty means none: the deposit is the only bound.</summary>
    public string? EpochBudgetWei { get; set; }

    /// <summary>Refusals for limits within <see cref="FloodWindow"/> that count as flooding. Default 30.</summary>
    public int FloodRefusals { get; set; } = 30;

    /// <summary>The window flooding is counted in. Default 1 minute.</summary>
    public TimeSpan FloodWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Calls the vault refused within <see cref="DepositWindow"/> that count as misbehaviour. Default 5.</summary>
    public int DepositRefusals { get; set; } = 5;

    /// <summary>The window deposit refusals are counted in. Default 10 minutes.</summary>
    public TimeSpan DepositWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>OPEN (wei, decimal) slashed per piece of evidence, at most what is staked. Default 10 OPEN.</summary>
    public string SlashWei { get; set; } = (10 * BigInteger.Pow(10, 18)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Who receives the challenger's part of a slash; default the protocol treasury.</summary>
    public string? Challenger { get; set; }

    /// <summary>How far a signed request's timestamp may be from the grid's clock. Default 5 minutes.</summary>
    public TimeSpan SignatureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When true, every call must be signed. Default false (signing is checked whenever present).</summary>
    public bool RequireSignedRequests { get; set; }

    /// <summary>How long a stake read from the chain is trusted. Default 15 seconds.</summary>
    public TimeSpan StakeRefresh { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an admitted inference may hold its slot without finishing. Default 10 minutes.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
