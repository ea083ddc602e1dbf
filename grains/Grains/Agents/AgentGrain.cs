using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenLedger.Agents;
using OpenLedger.Datanets;
using OpenLedger.Economy;
using OpenLedger.Economy.Agents;
using OpenLedger.Errors;
using OpenLedger.Grains.Economy;
using OpenLedger.Grains.Storage;

namespace OpenLedger.Grains.Agents;

/// <summary>
/// One agent's keys, stake, limits and evidence. Admission is in memory (rate buckets, slots, nonces), so a call
/// costs one grain turn and no storage write; keys, limits and evidence are stored. Misbehaviour becomes evidence
/// whose hash goes on-chain with a slash the settlement grain sends; a timer keeps proposing it until the settlement
/// grain has taken it.
/// </summary>
public sealed partial class AgentGrain(
    [PersistentState("agent-identity", StorageNames.GrainState)] IPersistentState<AgentState> state,
    EconomyChain chain,
    IOptions<AgentPolicyOptions> policy,
    TimeProvider time,
    ILogger<AgentGrain> logger) : Grain, IAgentGrain
{
    private static readonly TimeSpan _challengeLife = TimeSpan.FromMinutes(5);

    // A grid restart forgets the nonces seen: requests signed before this activation (less a grace for the one that
    // woke it) are refused as expired, so none of them can be replayed into the fresh window.
    private static readonly TimeSpan _activationGrace = TimeSpan.FromSeconds(30);

    // The last millisecond of year 9999, the latest time DateTimeOffset holds.
    private const long LatestTimestampMs = 253_402_300_799_999;

    private readonly Dictionary<string, DateTimeOffset> _challenges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Tokens, DateTimeOffset At)> _leases = new(StringComparer.Ordinal);
    private AgentPolicyOptions Policy => policy.Value;
    private TokenBucket? _requests;
    private TokenBucket? _tokens;
    private StrikeWindow? _flooding;
    private StrikeWindow? _deposits;
    private NonceWindow? _nonces;
    private (BigInteger Active, BigInteger Cooling, BigInteger Minimum, DateTimeOffset At)? _stake;
    private DateTimeOffset _activatedAt;
    private IGrainTimer? _proposer;

    private string Agent => this.GetPrimaryKeyString();

    private bool StakingConfigured => chain.Enabled && !string.IsNullOrWhiteSpace(chain.Options.Staking);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _activatedAt = now;
        _flooding = new StrikeWindow(Policy.FloodWindow, Policy.FloodRefusals);
        _deposits = new StrikeWindow(Policy.DepositWindow, Policy.DepositRefusals);
        _nonces = new NonceWindow(Policy.SignatureSkew);
        RetuneBuckets(now);
        EnsureProposer();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<AgentChallenge> Challenge()
    {
        var now = time.GetUtcNow();
        foreach (var stale in _challenges.Where(c => c.Value < now).Select(c => c.Key).ToList())
        {
            _challenges.Remove(stale);
        }
        var expires = now + _challengeLife;
        var text = AgentSignatures.Challenge(Agent, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), expires);
        _challenges[text] = expires;
        return Task.FromResult(new AgentChallenge(Agent, text, expires));
    }

    /// <inheritdoc />
    public async Task<IssuedAgentKey> Register(string challenge, string signature, string? label)
    {
        var now = time.GetUtcNow();
        if (!_challenges.TryGetValue(challenge, out var expires) || expires < now)
        {
            throw new AgentChallengeException("challenge_expired",
                "This challenge was not issued for this agent, or it expired (they last 5 minutes). Ask for a new one (POST /v1/agents/challenge) and sign it.");
        }
        var signer = AgentSignatures.Signer(challenge, signature);
        if (signer != Agent)
        {
            throw new AgentChallengeException("invalid_signature",
                $"The signature does not prove {Agent} signed the challenge (it {(signer is null ? "is malformed" : "was made by " + signer)}). " +
                "Sign the challenge text exactly as given with the agent's key (EIP-191 personal_sign).");
        }
        var stake = await StakeAsync(refresh: true);
        RequireEligible(stake);
        _challenges.Remove(challenge);
        var (key, parts) = AgentKeyFormat.Create(Agent);
        state.State.Keys.Add(new StoredAgentKey { KeyId = parts.KeyId, SecretHash = parts.SecretHash, Label = label, CreatedAt = now });
        await state.WriteStateAsync();
        LogKeyIssued(logger, Agent, parts.KeyId);
        return new IssuedAgentKey(key, parts.KeyId, Agent, Text(stake.Active), now);
    }

    /// <inheritdoc />
    public async Task<AgentAdmission> Admit(AgentCall call)
    {
        var now = time.GetUtcNow();
        CheckKey(call);
        await CheckSignatureAsync(call, now);
        if (StakingConfigured && call.Kind != AgentCallKind.Account)
        {
            RequireEligible(await StakeAsync(refresh: false));
        }
        var limits = EffectiveLimits();
        if (!_requests!.TryTake(1, now).Taken)
        {
            await RefuseForLimitAsync("rate_limited", $"Agent {Agent} is over its request rate ({limits.RequestsPerSecond} per second).",
                TimeSpan.FromSeconds(1 / Math.Max(limits.RequestsPerSecond!.Value, 0.001)), now);
        }
        if (call.Kind != AgentCallKind.Inference)
        {
            return new AgentAdmission("", null);
        }
        ExpireLeases(now);
        if (_leases.Count >= limits.Concurrency)
        {
            await RefuseForLimitAsync("concurrency_limited", $"Agent {Agent} already has {_leases.Count} inferences in flight (its limit is {limits.Concurrency}).",
                TimeSpan.FromSeconds(1), now);
        }
        var (taken, retry) = _tokens!.TryTake(call.EstimatedTokens, now);
        if (!taken)
        {
            await RefuseForLimitAsync("rate_limited", $"Agent {Agent} is over its token rate ({limits.TokensPerSecond} per second; this call may use {call.EstimatedTokens}).",
                retry, now);
        }
        var lease = Guid.NewGuid().ToString("N");
        _leases[lease] = (call.EstimatedTokens, now);
        return new AgentAdmission(lease, null);
    }

    /// <inheritdoc />
    public Task Finish(string leaseId, int tokens)
    {
        if (_leases.Remove(leaseId, out var lease) && lease.Tokens > tokens)
        {
            _tokens!.Refund(lease.Tokens - tokens, time.GetUtcNow());
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task DepositRefused(string detail)
    {
        var (count, reached) = _deposits!.Strike(time.GetUtcNow());
        state.State.Warnings++;
        if (reached)
        {
            await RecordEvidenceAsync(MisbehaviourKind.ExceededDeposit, $"{count} calls asked for more than the fee-vault deposit within {Policy.DepositWindow}; last: {detail}");
        }
        else
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task Revoke(string keyId)
    {
        var key = state.State.Keys.FirstOrDefault(k => k.KeyId == keyId)
            ?? throw new AgentKeyRejectedException("key_not_found", $"Agent {Agent} has no key '{keyId}'. `GET /v1/agent` lists its keys.");
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            await state.WriteStateAsync();
            LogKeyRevoked(logger, Agent, keyId);
        }
    }

    /// <inheritdoc />
    public async Task SetLimits(AgentLimits limits)
    {
        if (limits.RequestsPerSecond is <= 0 || limits.TokensPerSecond is <= 0 || limits.Concurrency is <= 0)
        {
            throw new ArgumentException("Rates and concurrency must be positive; leave a limit empty for the grid's default.", nameof(limits));
        }
        if (limits.EpochBudgetWei is { } budget && !BigInteger.TryParse(budget, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new ArgumentException($"The epoch budget '{budget}' is not a whole number of wei.", nameof(limits));
        }
        state.State.Limits = limits;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAgentAccountGrain>(Agent).SetBudget(limits.EpochBudgetWei);
        RetuneBuckets(time.GetUtcNow());
    }

    /// <inheritdoc />
    public async Task<AgentStatus> Status(bool refreshStake)
    {
        var stake = StakingConfigured ? await StakeAsync(refreshStake) : default;
        var balance = chain.Enabled ? await GrainFactory.GetGrain<IAgentAccountGrain>(Agent).Balance() : null;
        var usage = new AgentUsage(_leases.Count, balance?.DepositWei ?? "0", balance?.AvailableWei ?? "0", balance?.ReservedWei ?? "0",
            balance?.UnsettledWei ?? "0", balance?.BudgetLeftWei);
        return new AgentStatus(Agent, stake.Minimum > 0 && stake.Active >= stake.Minimum, Text(stake.Active), Text(stake.Minimum),
            [.. state.State.Keys.Select(k => new AgentKeyInfo(k.KeyId, k.Label, k.CreatedAt, k.RevokedAt))], EffectiveLimits(), usage,
            state.State.Warnings, [.. state.State.Evidence]);
    }

    /// <inheritdoc />
    public async Task Slashed(SlashOutcome outcome)
    {
        var index = state.State.Evidence.FindIndex(e => e.Hash == outcome.EvidenceHash);
        if (index < 0 || state.State.Evidence[index].Slash?.Stage is SlashStage.Slashed or SlashStage.Failed)
        {
            return;
        }
        state.State.Evidence[index] = state.State.Evidence[index] with { Slash = outcome };
        await state.WriteStateAsync();
        _stake = null;  // the stake just changed on-chain
        LogSlashed(logger, Agent, outcome.EvidenceHash, outcome.Stage, outcome.AmountWei);
    }

    private void CheckKey(AgentCall call)
    {
        if (call.KeyId is null)
        {
            return;     // a key the silo's configuration binds to this agent, checked at the door
        }
        var key = state.State.Keys.FirstOrDefault(k => k.KeyId == call.KeyId);
        if (key is null || call.SecretHash is null
            || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(key.SecretHash), Convert.FromHexString(call.SecretHash)))
        {
            throw new AgentKeyRejectedException("invalid_api_key", "The agent key is not recognised by this grid. Check the key, or get a new one by signing a challenge.");
        }
        if (key.RevokedAt is { } revoked)
        {
            throw new AgentKeyRejectedException("key_revoked", $"Key {key.KeyId} of agent {Agent} was revoked at {revoked:u}. Get a new key by signing a challenge.");
        }
    }

    private async Task CheckSignatureAsync(AgentCall call, DateTimeOffset now)
    {
        if (call.Signature is not { } signed)
        {
            if (Policy.RequireSignedRequests)
            {
                throw new AgentKeyRejectedException("signature_required",
                    "This grid requires signed requests: send X-OpenLedger-Timestamp, X-OpenLedger-Nonce and X-OpenLedger-Signature (the SDK does this when given the agent's key).");
            }
            return;
        }
        // A time no calendar holds is as stale as any other outside the window (and would throw if converted).
        var at = signed.TimestampMs is >= 0 and <= LatestTimestampMs ? DateTimeOffset.FromUnixTimeMilliseconds(signed.TimestampMs) : DateTimeOffset.MinValue;
        if ((now - at).Duration() > Policy.SignatureSkew || at < _activatedAt - _activationGrace)
        {
            throw new AgentKeyRejectedException("request_expired",
                $"The request was signed at {(at == DateTimeOffset.MinValue ? signed.TimestampMs.ToString(CultureInfo.InvariantCulture) + " ms" : at.ToString("u", CultureInfo.InvariantCulture))}, outside the {Policy.SignatureSkew.TotalMinutes} minutes the grid accepts (or before the grid restarted). Sign it again with the current time.");
        }
        if (signed.Signer != Agent)
        {
            await RecordEvidenceAsync(MisbehaviourKind.ForgedRequest,
                $"{call.Route} under key {call.KeyId ?? "configured"} signed by {signed.Signer ?? "nobody (malformed signature)"}, request hash {signed.RequestHash}");
            throw new AgentKeyRejectedException("forged_request",
                $"The request's signature is not {Agent}'s. The grid recorded this as evidence against the agent's stake.");
        }
        if (!_nonces!.TryUse(signed.Nonce, signed.TimestampMs, now))
        {
            await RecordEvidenceAsync(MisbehaviourKind.ReplayedRequest,
                $"{call.Route} replayed nonce {signed.Nonce} (signed at {signed.TimestampMs}), request hash {signed.RequestHash}");
            throw new AgentKeyRejectedException("replayed_request",
                $"Nonce {signed.Nonce} was already used. Every signed request needs a fresh nonce; the grid recorded this replay as evidence against the agent's stake.");
        }
    }

    private async Task RefuseForLimitAsync(string code, string message, TimeSpan retryAfter, DateTimeOffset now)
    {
        var (count, reached) = _flooding!.Strike(now);
        state.State.Warnings++;
        if (reached)
        {
            await RecordEvidenceAsync(MisbehaviourKind.Flooding, $"{count} calls refused for limits within {Policy.FloodWindow}; last: {message}");
            throw new AgentLimitException(code, $"{message} This was refusal {count} within {Policy.FloodWindow.TotalSeconds} s: the grid recorded flooding evidence and a slash of the agent's stake.",
                retryAfter.TotalSeconds);
        }
        throw new AgentLimitException(code,
            $"{message} Try again in {retryAfter.TotalSeconds:0.###} s. Warning {count} of {_flooding.Threshold}: at {_flooding.Threshold} refusals within {Policy.FloodWindow.TotalSeconds} s the grid records flooding and slashes the agent's stake.",
            retryAfter.TotalSeconds);
    }

    private async Task RecordEvidenceAsync(MisbehaviourKind kind, string detail)
    {
        var now = time.GetUtcNow();
        var hash = Hex.Encode(Keccak.Hash(System.Text.Encoding.UTF8.GetBytes(MisbehaviourEvidence.Canonical(kind, Agent, now, detail))));
        var challenger = Policy.Challenger ?? chain.Options.Treasury ?? Account.Zero;
        SlashOutcome slash;
        if (!StakingConfigured)
        {
            slash = new SlashOutcome(hash, SlashStage.Failed, "0", challenger, Problem: "no staking contract is configured");
        }
        else
        {
            var stake = await StakeAsync(refresh: true);
            var amount = BigInteger.Min(BigInteger.Parse(Policy.SlashWei, CultureInfo.InvariantCulture), stake.Active + stake.Cooling);
            slash = amount.IsZero
                ? new SlashOutcome(hash, SlashStage.Failed, "0", challenger, Problem: "the agent has nothing staked")
                : new SlashOutcome(hash, SlashStage.Proposed, Text(amount), challenger);
        }
        state.State.Evidence.Add(new MisbehaviourEvidence(hash, Agent, kind, now, detail, slash));
        await state.WriteStateAsync();
        LogEvidence(logger, Agent, kind, hash);
        EnsureProposer();
    }

    // Keeps offering proposed slashes to the settlement grain until it has taken each; then stops.
    private void EnsureProposer()
    {
        if (_proposer is null && state.State.Evidence.Any(e => e.Slash?.Stage == SlashStage.Proposed))
        {
            _proposer = this.RegisterGrainTimer(ProposeAsync, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }
    }

    private async Task ProposeAsync()
    {
        var settlement = GrainFactory.GetGrain<ISettlementGrain>(ISettlementGrain.Key);
        var changed = false;
        foreach (var evidence in state.State.Evidence.Where(e => e.Slash?.Stage == SlashStage.Proposed).ToList())
        {
            try
            {
                var outcome = await settlement.ProposeSlash(new SlashProposal(Agent, evidence.Hash, evidence.Slash!.AmountWei, evidence.Slash.Challenger));
                var index = state.State.Evidence.FindIndex(e => e.Hash == evidence.Hash);
                if (state.State.Evidence[index].Slash?.Stage == SlashStage.Proposed)
                {
                    state.State.Evidence[index] = evidence with { Slash = outcome };
                    changed = true;
                }
            }
            catch (Exception ex)
            {
                LogProposeFailed(logger, ex, Agent, evidence.Hash);
            }
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
        if (!state.State.Evidence.Any(e => e.Slash?.Stage == SlashStage.Proposed))
        {
            _proposer?.Dispose();
            _proposer = null;
        }
    }

    private async Task<(BigInteger Active, BigInteger Cooling, BigInteger Minimum)> StakeAsync(bool refresh)
    {
        var now = time.GetUtcNow();
        var fresh = _stake is { } s && now - s.At < Policy.StakeRefresh
            // An agent refused for its stake may have just staked: look again, at most every 2 seconds.
            && (s.Active >= s.Minimum || now - s.At < TimeSpan.FromSeconds(2));
        if (!refresh && fresh)
        {
            return (_stake!.Value.Active, _stake.Value.Cooling, _stake.Value.Minimum);
        }
        var (active, cooling, minimum) = await chain.StakeAsync(Agent);
        _stake = (active, cooling, minimum, now);
        return (active, cooling, minimum);
    }

    private void RequireEligible((BigInteger Active, BigInteger Cooling, BigInteger Minimum) stake)
    {
        if (stake.Active < stake.Minimum)
        {
            throw new StakeTooLowException(Agent, Text(stake.Active), Text(stake.Minimum));
        }
    }

    private AgentLimits EffectiveLimits()
    {
        var set = state.State.Limits ?? new AgentLimits();
        return new AgentLimits(set.RequestsPerSecond ?? Policy.RequestsPerSecond, set.TokensPerSecond ?? Policy.TokensPerSecond,
            set.Concurrency ?? Policy.Concurrency, set.EpochBudgetWei ?? (string.IsNullOrWhiteSpace(Policy.EpochBudgetWei) ? null : Policy.EpochBudgetWei));
    }

    private void RetuneBuckets(DateTimeOffset now)
    {
        var limits = EffectiveLimits();
        if (_requests is null || _tokens is null)
        {
            _requests = new TokenBucket(limits.RequestsPerSecond!.Value, now);
            _tokens = new TokenBucket(limits.TokensPerSecond!.Value, now);
            return;
        }
        _requests.Retune(limits.RequestsPerSecond!.Value);
        _tokens.Retune(limits.TokensPerSecond!.Value);
    }

    private void ExpireLeases(DateTimeOffset now)
    {
        foreach (var stale in _leases.Where(l => now - l.Value.At > Policy.LeaseTimeout).Select(l => l.Key).ToList())
        {
            _leases.Remove(stale);
        }
    }

    private static string Text(BigInteger wei) => wei.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Agent {Agent} got key {KeyId}")]
    private static partial void LogKeyIssued(ILogger logger, string agent, string keyId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Agent {Agent} revoked key {KeyId}")]
    private static partial void LogKeyRevoked(ILogger logger, string agent, string keyId);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Agent {Agent}: {Kind} evidence {Hash}")]
    private static partial void LogEvidence(ILogger logger, string agent, MisbehaviourKind kind, string hash);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Agent {Agent}: slash on evidence {Hash} is {Stage} ({Amount} wei)")]
    private static partial void LogSlashed(ILogger logger, string agent, string hash, SlashStage stage, string amount);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Agent {Agent}: proposing the slash on evidence {Hash} failed; trying again")]
    private static partial void LogProposeFailed(ILogger logger, Exception ex, string agent, string hash);
}
