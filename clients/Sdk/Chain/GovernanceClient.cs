using System.Globalization;
using System.Numerics;
using System.Text;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace OpenLedger.Client.Chain;

/// <summary>
/// Governance of a deployed OPEN economy: wrap OPEN into gOPEN and delegate its votes, propose a fee split change,
/// vote, queue and execute through the Timelock, and (as the guardian) cancel a queued proposal.
/// Every action first checks what the chain says and refuses with a <see cref="GovernanceException"/> naming the
/// reason, so no transaction is sent that is known to revert. Time decides much here (voting opens and closes, the
/// Timelock's delay) and a local chain's latest block may be old, so a check that only time could still change is
/// made against the later of the chain's time and the wall clock; if the transaction reverts all the same, the
/// checks run again against the block it was mined in, and the exception names what they found there. (A local chain
/// whose clock was moved ahead with evm_increaseTime and then left idle reads as its latest block's time until it
/// mines again: such a check can refuse a few seconds early there.)
/// </summary>
public sealed class GovernanceClient
{
    private static readonly HexBigInteger _gas = new(1_000_000);
    private static readonly HexBigInteger _zero = new(0);
    private static readonly byte[] _cancellerRole = EconomyDeployment.Role("CANCELLER_ROLE");

    private readonly Web3 _web3;
    private readonly EconomyContracts _contracts;
    private readonly Contract _governor;
    private readonly Contract _votes;
    private readonly Contract _token;
    private readonly Contract _timelock;
    private readonly TimeProvider _time;
    private bool _chainChecked;

    /// <summary>A client for the economy in <paramref name="contracts"/> on the chain at <paramref name="rpcUrl"/>.</summary>
    /// <param name="rpcUrl">The chain's JSON-RPC URL.</param>
    /// <param name="contracts">The deployment record.</param>
    /// <param name="artifacts">The compiled contracts (for their ABIs).</param>
    /// <param name="signerKey">The private key that signs (0x hex); null for a client that only reads.</param>
    /// <param name="time">The wall clock (the system's by default).</param>
    /// <exception cref="ContractArtifactMissingException">An economy contract has no artifact.</exception>
    public GovernanceClient(string rpcUrl, EconomyContracts contracts, ContractArtifacts artifacts, string? signerKey = null, TimeProvider? time = null)
    {
        var account = signerKey is null ? null : new Account(signerKey, contracts.ChainId);
        _web3 = account is null ? new Web3(rpcUrl) : new Web3(account, rpcUrl);
        Signer = account?.Address;
        _contracts = contracts;
        _governor = _web3.Eth.GetContract(artifacts.Get("OpenGovernor").Abi, contracts.Governor);
        _votes = _web3.Eth.GetContract(artifacts.Get("OpenVotes").Abi, contracts.Votes);
        _token = _web3.Eth.GetContract(artifacts.Get("OpenToken").Abi, contracts.Token);
        _timelock = _web3.Eth.GetContract(artifacts.Get("TimelockController").Abi, contracts.Timelock);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The signing account's address; null for a read-only client.</summary>
    public string? Signer { get; }

    /// <summary>gOPEN votes (wei) an account needs delegated to it to propose.</summary>
    public Task<BigInteger> ProposalThresholdAsync() => _governor.GetFunction("proposalThreshold").CallAsync<BigInteger>();

    /// <summary>An account's OPEN, gOPEN, delegate and votes.</summary>
    public async Task<VotingPower> GetVotingPowerAsync(string account)
    {
        RequireAddress(account);
        var delegatee = await _votes.GetFunction("delegates").CallAsync<string>(account);
        return new VotingPower(
            account,
            await _token.GetFunction("balanceOf").CallAsync<BigInteger>(account),
            await _votes.GetFunction("balanceOf").CallAsync<BigInteger>(account),
            IsZero(delegatee) ? null : delegatee,
            await _votes.GetFunction("getVotes").CallAsync<BigInteger>(account));
    }

    /// <summary>
    /// Wraps <paramref name="amount"/> OPEN (wei) of the signer into gOPEN and delegates its votes: to
    /// <paramref name="delegatee"/> when given, else to the signer itself if it has not delegated yet (gOPEN that is
    /// not delegated does not vote).
    /// </summary>
    public async Task<VotingPower> WrapAsync(BigInteger amount, string? delegatee = null)
    {
        var signer = RequireSigner();
        if (amount <= 0)
        {
            throw new GovernanceException(GovernanceFailure.InvalidAmount, $"Cannot wrap {amount} wei: give a positive amount of OPEN.");
        }
        if (delegatee is not null)
        {
            RequireAddress(delegatee);
        }
        var held = await _token.GetFunction("balanceOf").CallAsync<BigInteger>(signer);
        if (held < amount)
        {
            throw new GovernanceException(GovernanceFailure.InsufficientOpen,
                $"{signer} holds {Tokens(held, "OPEN")} and asked to wrap {Tokens(amount, "OPEN")}; wrap at most what it holds, or receive more OPEN first.");
        }
        await SendAsync("approve the OPEN to wrap", _contracts.Token, _token.GetFunction("approve").GetData(_contracts.Votes, amount), null, null);
        await SendAsync("wrap OPEN into gOPEN", _contracts.Votes, _votes.GetFunction("depositFor").GetData(signer, amount), null, null);
        var current = await _votes.GetFunction("delegates").CallAsync<string>(signer);
        var target = delegatee ?? (IsZero(current) ? signer : null);
        if (target is not null && !string.Equals(current, target, StringComparison.OrdinalIgnoreCase))
        {
            await SendAsync("delegate the votes", _contracts.Votes, _votes.GetFunction("delegate").GetData(target), null, null);
        }
        return await GetVotingPowerAsync(signer);
    }

    /// <summary>Delegates the signer's gOPEN votes to <paramref name="delegatee"/> (the signer itself to vote its own).</summary>
    public async Task<VotingPower> DelegateAsync(string delegatee)
    {
        var signer = RequireSigner();
        RequireAddress(delegatee);
        await SendAsync("delegate the votes", _contracts.Votes, _votes.GetFunction("delegate").GetData(delegatee), null, null);
        return await GetVotingPowerAsync(signer);
    }

    /// <summary>Proposes that the Timelock set the economy's fee split to <paramref name="split"/>.</summary>
    /// <exception cref="GovernanceException">
    /// No description; the same proposal exists; the signer's delegated votes are below the threshold, or too recent.
    /// </exception>
    public async Task<GovernanceReceipt> ProposeFeeSplitAsync(FeeSplitChange split, string description)
    {
        ArgumentNullException.ThrowIfNull(split);
        var signer = RequireSigner();
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new GovernanceException(GovernanceFailure.MissingDescription,
                "A proposal needs a description saying what it changes and why; voters read it, and it tells identical proposals apart.");
        }
        var targets = new List<string> { _contracts.FeeSplit };
        var values = new List<BigInteger> { 0 };
        var calldatas = new List<byte[]> { split.Calldata() };
        var descriptionHash = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(description));
        var id = await _governor.GetFunction("hashProposal").CallAsync<BigInteger>(targets, values, calldatas, descriptionHash);

        var threshold = await ProposalThresholdAsync();
        if (await CannotProposeAsync(id, signer, threshold, BlockParameter.CreateLatest(), pastVotesAt: null) is { } refused)
        {
            throw refused;
        }
        var receipt = await SendAsync("propose", _contracts.Governor,
            _governor.GetFunction("propose").GetData(targets, values, calldatas, description), id,
            (block, time) => CannotProposeAsync(id, signer, threshold, block, pastVotesAt: time - 1));
        return new GovernanceReceipt(receipt.TransactionHash, (ulong)receipt.GasUsed.Value, await GetProposalAsync(id));
    }

    /// <summary>Casts the signer's vote on a proposal, with an optional reason recorded on chain.</summary>
    /// <exception cref="GovernanceException">Unknown proposal; voting not open or closed; already voted; no votes at the snapshot.</exception>
    public async Task<VoteReceipt> VoteAsync(BigInteger proposalId, VoteSupport support, string? reason = null)
    {
        var signer = RequireSigner();
        var (block, now) = await NowAsync();
        if (await CannotVoteAsync(proposalId, signer, block, now) is { } refused)
        {
            throw refused;
        }
        var data = _governor.GetFunction("castVoteWithReason").GetData(proposalId, (byte)support, reason ?? "");
        var receipt = await SendAsync("vote", _contracts.Governor, data, proposalId, (at, time) => CannotVoteAsync(proposalId, signer, at, time));
        var proposal = await GetProposalAsync(proposalId);
        var weight = await _governor.GetFunction("getVotes").CallAsync<BigInteger>(signer, new BigInteger(proposal.VoteStart));
        return new VoteReceipt(receipt.TransactionHash, (ulong)receipt.GasUsed.Value, support, weight, proposal);
    }

    /// <summary>Queues a passed proposal in the Timelock; it can execute once the Timelock's delay has passed.</summary>
    /// <exception cref="GovernanceException">Unknown proposal; still voting; defeated; already queued, executed or cancelled.</exception>
    public async Task<GovernanceReceipt> QueueAsync(BigInteger proposalId)
    {
        RequireSigner();
        var (block, now) = await NowAsync();
        if (CannotQueue(proposalId, await ReadAsync(proposalId, block, now)) is { } refused)
        {
            throw refused;
        }
        var data = new QueueByIdFunction { ProposalId = proposalId }.GetCallData().ToHex(true);
        var receipt = await SendAsync("queue", _contracts.Governor, data, proposalId,
            async (at, time) => CannotQueue(proposalId, await ReadAsync(proposalId, at, time)));
        return new GovernanceReceipt(receipt.TransactionHash, (ulong)receipt.GasUsed.Value, await GetProposalAsync(proposalId));
    }

    /// <summary>Executes a queued proposal whose Timelock delay has passed: the Timelock makes its calls.</summary>
    /// <exception cref="GovernanceException">Unknown proposal; not passed or not queued; the delay not over; already executed or cancelled.</exception>
    public async Task<GovernanceReceipt> ExecuteAsync(BigInteger proposalId)
    {
        RequireSigner();
        var (block, now) = await NowAsync();
        if (CannotExecute(proposalId, await ReadAsync(proposalId, block, now), now) is { } refused)
        {
            throw refused;
        }
        var data = new ExecuteByIdFunction { ProposalId = proposalId }.GetCallData().ToHex(true);
        var receipt = await SendAsync("execute", _contracts.Governor, data, proposalId,
            async (at, time) => CannotExecute(proposalId, await ReadAsync(proposalId, at, time), time));
        return new GovernanceReceipt(receipt.TransactionHash, (ulong)receipt.GasUsed.Value, await GetProposalAsync(proposalId));
    }

    /// <summary>
    /// The guardian's veto: cancels a queued proposal's operation in the Timelock, so it can never execute. Only an
    /// account with the Timelock's canceller role (the guardian named at deployment) can.
    /// </summary>
    /// <exception cref="GovernanceException">Unknown proposal; not queued; the signer is not a canceller.</exception>
    public async Task<GovernanceReceipt> VetoAsync(BigInteger proposalId)
    {
        var signer = RequireSigner();
        var (block, now) = await NowAsync();
        var proposal = await ReadAsync(proposalId, block, now);
        if (CannotVeto(proposalId, proposal) is { } refused)
        {
            throw refused;
        }
        if (!await _timelock.GetFunction("hasRole").CallAsync<bool>(_cancellerRole, signer))
        {
            throw new GovernanceException(GovernanceFailure.NotGuardian,
                $"{signer} does not hold the Timelock's canceller role; only the guardian named at deployment can veto a queued proposal.", proposalId);
        }
        var details = await _governor.GetFunction("proposalDetails").CallDeserializingToObjectAsync<ProposalDetailsOutput>(proposalId);
        // GovernorTimelockControl's salt: the governor's address, left-aligned, XOR the description hash.
        var salt = (byte[])details.DescriptionHash.Clone();
        var governor = _contracts.Governor.HexToByteArray();
        for (var i = 0; i < governor.Length; i++)
        {
            salt[i] ^= governor[i];
        }
        var operation = await _timelock.GetFunction("hashOperationBatch").CallAsync<byte[]>(details.Targets, details.Values, details.Calldatas, new byte[32], salt);
        var receipt = await SendAsync("cancel in the Timelock", _contracts.Timelock, _timelock.GetFunction("cancel").GetData(operation), proposalId,
            async (at, time) => CannotVeto(proposalId, await ReadAsync(proposalId, at, time)));
        return new GovernanceReceipt(receipt.TransactionHash, (ulong)receipt.GasUsed.Value, await GetProposalAsync(proposalId));
    }

    /// <summary>A proposal, its tally and state now.</summary>
    /// <exception cref="GovernanceException">No proposal has this id (<see cref="GovernanceFailure.UnknownProposal"/>).</exception>
    public async Task<GovernanceProposal> GetProposalAsync(BigInteger proposalId)
    {
        var (block, now) = await NowAsync();
        var proposal = await ReadAsync(proposalId, block, now) ?? throw Unknown(proposalId.ToString(CultureInfo.InvariantCulture));
        var ids = await ProposalIdsAsync();
        var number = ids.IndexOf(proposalId);
        var descriptions = await DescriptionsAsync();
        return proposal with { Number = number < 0 ? null : number + 1, Description = descriptions.GetValueOrDefault(proposalId) };
    }

    /// <summary>Every proposal the governor has, oldest first.</summary>
    public async Task<IReadOnlyList<GovernanceProposal>> ListProposalsAsync()
    {
        var (block, now) = await NowAsync();
        var descriptions = await DescriptionsAsync();
        var proposals = new List<GovernanceProposal>();
        foreach (var id in await ProposalIdsAsync())
        {
            var proposal = await ReadAsync(id, block, now) ?? throw Unknown(id.ToString(CultureInfo.InvariantCulture));
            proposals.Add(proposal with { Number = proposals.Count + 1, Description = descriptions.GetValueOrDefault(id) });
        }
        return proposals;
    }

    /// <summary>
    /// The proposal id <paramref name="reference"/> names: its number (1, 2, ... or #1, as listed) or its id, in decimal
    /// or 0x hex. Ids are 256-bit hashes, so a small number is never mistaken for one.
    /// </summary>
    /// <exception cref="GovernanceException">Not a number, or no such proposal (<see cref="GovernanceFailure.UnknownProposal"/>).</exception>
    public async Task<BigInteger> ResolveAsync(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = reference.Trim().TrimStart('#');
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        // A leading 0 keeps a hex id unsigned (BigInteger reads a top bit set as negative).
        if ((hex && text.Length == 2)
            || !BigInteger.TryParse(hex ? "0" + text[2..] : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new GovernanceException(GovernanceFailure.UnknownProposal,
                $"'{reference}' is neither a proposal number nor a proposal id; `openledger gov list` shows both.");
        }
        var ids = await ProposalIdsAsync();
        if (value >= 1 && value <= ids.Count)
        {
            return ids[(int)value - 1];
        }
        var snapshot = await _governor.GetFunction("proposalSnapshot").CallAsync<BigInteger>(value);
        return snapshot.IsZero ? throw Unknown(reference) : value;
    }

    private async Task<GovernanceException?> CannotProposeAsync(BigInteger id, string signer, BigInteger threshold, BlockParameter block, ulong? pastVotesAt)
    {
        var snapshot = await _governor.GetFunction("proposalSnapshot").CallAsync<BigInteger>(block, id);
        if (!snapshot.IsZero)
        {
            return new GovernanceException(GovernanceFailure.ProposalExists,
                $"The same fee split with the same description was proposed already (proposal {Label(id)}); vote on it, or change the description.", id);
        }
        var current = await _votes.GetFunction("getVotes").CallAsync<BigInteger>(block, signer);
        if (current < threshold)
        {
            return new GovernanceException(GovernanceFailure.NotEnoughVotes,
                $"{signer} has {Tokens(current, "gOPEN")} of votes delegated to it; proposing needs {Tokens(threshold, "gOPEN")}. Wrap OPEN and delegate to yourself " +
                "(`openledger gov wrap AMOUNT`), or ask holders to delegate to you.");
        }
        // The governor counts the votes of the second before the proposal: votes delegated in the same second do not count yet.
        if (pastVotesAt is { } at && await _governor.GetFunction("getVotes").CallAsync<BigInteger>(block, signer, new BigInteger(at)) < threshold)
        {
            return new GovernanceException(GovernanceFailure.VotesNotYetEffective,
                $"{signer}'s votes were delegated in the same second as the proposal, and the governor counts them from the next second; propose again.");
        }
        return null;
    }

    private async Task<GovernanceException?> CannotVoteAsync(BigInteger id, string signer, BlockParameter block, ulong now)
    {
        var proposal = await ReadAsync(id, block, now);
        if (proposal is null)
        {
            return Unknown(id.ToString(CultureInfo.InvariantCulture));
        }
        if (proposal.State == ProposalState.Pending)
        {
            return new GovernanceException(GovernanceFailure.VotingNotStarted,
                $"Voting on proposal {Label(id)} opens after {Time(proposal.VoteStart)}; vote then.", id);
        }
        if (proposal.State != ProposalState.Active)
        {
            return new GovernanceException(GovernanceFailure.VotingClosed,
                $"Voting on proposal {Label(id)} is closed: it is {proposal.State.ToString().ToLowerInvariant()} (voting ended {Time(proposal.VoteEnd)}).", id);
        }
        if (await _governor.GetFunction("hasVoted").CallAsync<bool>(block, id, signer))
        {
            return new GovernanceException(GovernanceFailure.AlreadyVoted, $"{signer} has voted on proposal {Label(id)} already; a vote cannot be changed.", id);
        }
        // The weight is the votes delegated at the snapshot; the chain can only tell once its clock is past it.
        if (proposal.VoteStart < await TimestampAsync(block)
            && (await _governor.GetFunction("getVotes").CallAsync<BigInteger>(block, signer, new BigInteger(proposal.VoteStart))).IsZero)
        {
            return new GovernanceException(GovernanceFailure.NoVotingPower,
                $"{signer} had no gOPEN votes delegated to it at proposal {Label(id)}'s snapshot ({Time(proposal.VoteStart)}); votes delegated later count only for later proposals.", id);
        }
        return null;
    }

    private static GovernanceException? CannotQueue(BigInteger id, GovernanceProposal? proposal)
    {
        if (proposal is null)
        {
            return Unknown(id.ToString(CultureInfo.InvariantCulture));
        }
        return proposal.State switch
        {
            ProposalState.Succeeded => null,
            ProposalState.Queued => new GovernanceException(GovernanceFailure.AlreadyQueued,
                $"Proposal {Label(id)} is queued already; it can execute after {Time(proposal.Eta)}.", id),
            _ => NotPassed(id, proposal),
        };
    }

    private static GovernanceException? CannotExecute(BigInteger id, GovernanceProposal? proposal, ulong now)
    {
        if (proposal is null)
        {
            return Unknown(id.ToString(CultureInfo.InvariantCulture));
        }
        return proposal.State switch
        {
            ProposalState.Succeeded => new GovernanceException(GovernanceFailure.NotQueued,
                $"Proposal {Label(id)} passed but is not queued in the Timelock; queue it first (`openledger gov execute` queues it).", id),
            ProposalState.Queued when proposal.Eta > now => new GovernanceException(GovernanceFailure.TimelockPending,
                $"Proposal {Label(id)} is queued; the Timelock lets it execute after {Time(proposal.Eta)}, {proposal.Eta - now} s from now. Run it again then.", id),
            ProposalState.Queued => null,
            _ => NotPassed(id, proposal),
        };
    }

    private static GovernanceException? CannotVeto(BigInteger id, GovernanceProposal? proposal)
    {
        if (proposal is null)
        {
            return Unknown(id.ToString(CultureInfo.InvariantCulture));
        }
        return proposal.State switch
        {
            ProposalState.Queued => null,
            ProposalState.Succeeded => new GovernanceException(GovernanceFailure.NotQueued,
                $"Proposal {Label(id)} passed but is not queued; the guardian can cancel it once it waits in the Timelock.", id),
            _ => NotPassed(id, proposal),
        };
    }

    // The refusal for a proposal that is not (or no longer) in the state an action needs.
    private static GovernanceException NotPassed(BigInteger id, GovernanceProposal proposal) => proposal.State switch
    {
        ProposalState.Pending or ProposalState.Active => new GovernanceException(GovernanceFailure.StillVoting,
            $"Proposal {Label(id)} is still {(proposal.State == ProposalState.Pending ? "waiting for voting to open" : "being voted on")}; voting ends {Time(proposal.VoteEnd)}.", id),
        ProposalState.Defeated => new GovernanceException(GovernanceFailure.ProposalDefeated,
            $"Proposal {Label(id)} was defeated: {Tokens(proposal.ForVotes, "gOPEN")} for, {Tokens(proposal.AgainstVotes, "gOPEN")} against, " +
            $"{Tokens(proposal.AbstainVotes, "gOPEN")} abstaining; it needed more for than against and {Tokens(proposal.Quorum, "gOPEN")} for or " +
            "abstaining (the quorum). Make a new proposal to try again.", id),
        ProposalState.Executed => new GovernanceException(GovernanceFailure.AlreadyExecuted, $"Proposal {Label(id)} was executed already.", id),
        ProposalState.Canceled => new GovernanceException(GovernanceFailure.ProposalCanceled, $"Proposal {Label(id)} was cancelled; it can never execute.", id),
        ProposalState.Expired => new GovernanceException(GovernanceFailure.ProposalExpired, $"Proposal {Label(id)} expired.", id),
        ProposalState.Queued => new GovernanceException(GovernanceFailure.AlreadyQueued, $"Proposal {Label(id)} is queued already.", id),
        _ => new GovernanceException(GovernanceFailure.NotQueued, $"Proposal {Label(id)} is {proposal.State}.", id),
    };

    private static GovernanceException Unknown(string reference) => new(GovernanceFailure.UnknownProposal,
        $"No proposal '{reference}' on this governor; `openledger gov list` shows the proposals there are.");

    /// <summary>The proposal as of <paramref name="block"/>, its state evaluated at <paramref name="now"/>; null when unknown.</summary>
    private async Task<GovernanceProposal?> ReadAsync(BigInteger id, BlockParameter block, ulong now)
    {
        var snapshot = await _governor.GetFunction("proposalSnapshot").CallAsync<BigInteger>(block, id);
        if (snapshot.IsZero)
        {
            return null;
        }
        var deadline = await _governor.GetFunction("proposalDeadline").CallAsync<BigInteger>(block, id);
        var eta = await _governor.GetFunction("proposalEta").CallAsync<BigInteger>(block, id);
        var onChain = (ProposalState)await _governor.GetFunction("state").CallAsync<byte>(block, id);
        var votes = await _governor.GetFunction("proposalVotes").CallDeserializingToObjectAsync<ProposalVotesOutput>(block, id);
        var quorum = await _governor.GetFunction("quorum").CallAsync<BigInteger>(block, snapshot);
        var proposer = await _governor.GetFunction("proposalProposer").CallAsync<string>(block, id);
        var details = await _governor.GetFunction("proposalDetails").CallDeserializingToObjectAsync<ProposalDetailsOutput>(block, id);
        var actions = details.Targets.Select((target, i) => new ProposalAction(target, details.Values[i], details.Calldatas[i].ToHex(true))).ToList();
        var feeSplit = actions.Count == 1 && string.Equals(actions[0].Target, _contracts.FeeSplit, StringComparison.OrdinalIgnoreCase)
            ? FeeSplitChange.FromCalldata(details.Calldatas[0])
            : null;
        var state = Evaluate(onChain, (ulong)snapshot, (ulong)deadline, now, votes, quorum);
        return new GovernanceProposal(id, null, state, proposer, null, (ulong)snapshot, (ulong)deadline, (ulong)eta,
            votes.For, votes.Against, votes.Abstain, quorum, actions, feeSplit, now);
    }

    // The governor's own rule, at a time the chain may not have reached in a block yet: decided states stay, else the
    // clock against the snapshot and deadline, then the tally (quorum on for + abstain, and more for than against).
    private static ProposalState Evaluate(ProposalState onChain, ulong snapshot, ulong deadline, ulong now, ProposalVotesOutput votes, BigInteger quorum) =>
        onChain switch
        {
            ProposalState.Canceled or ProposalState.Executed or ProposalState.Expired or ProposalState.Queued => onChain,
            _ when now <= snapshot => ProposalState.Pending,
            _ when now <= deadline => ProposalState.Active,
            _ => votes.For + votes.Abstain >= quorum && votes.For > votes.Against ? ProposalState.Succeeded : ProposalState.Defeated,
        };

    private async Task<List<BigInteger>> ProposalIdsAsync()
    {
        var count = (int)await _governor.GetFunction("proposalCount").CallAsync<BigInteger>();
        var ids = new List<BigInteger>(count);
        for (var i = 0; i < count; i++)
        {
            var details = await _governor.GetFunction("proposalDetailsAt").CallDeserializingToObjectAsync<ProposalDetailsAtOutput>(new BigInteger(i));
            ids.Add(details.ProposalId);
        }
        return ids;
    }

    private async Task<Dictionary<BigInteger, string>> DescriptionsAsync()
    {
        var created = _web3.Eth.GetEvent<ProposalCreatedEvent>(_contracts.Governor);
        var logs = await created.GetAllChangesAsync(created.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest()));
        var descriptions = new Dictionary<BigInteger, string>();
        foreach (var log in logs)
        {
            descriptions[log.Event.ProposalId] = log.Event.Description;
        }
        return descriptions;
    }

    /// <summary>The latest block and the time to judge time-bound states by: the later of its timestamp and the wall clock.</summary>
    private async Task<(BlockParameter Block, ulong Now)> NowAsync()
    {
        var block = BlockParameter.CreateLatest();
        var chain = await TimestampAsync(block);
        var wall = (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeSeconds());
        return (block, Math.Max(chain, wall));
    }

    private async Task<ulong> TimestampAsync(BlockParameter block)
    {
        var header = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(block);
        return (ulong)header.Timestamp.Value;
    }

    /// <summary>
    /// Sends one transaction with explicit gas (so a revert is a mined, failed receipt rather than an estimate error)
    /// and returns its receipt; on a revert, <paramref name="diagnose"/> runs against the block it was mined in.
    /// </summary>
    private async Task<TransactionReceipt> SendAsync(string step, string to, string data, BigInteger? proposalId,
        Func<BlockParameter, ulong, Task<GovernanceException?>>? diagnose)
    {
        await RequireChainAsync();
        var input = new TransactionInput(data, to, Signer, _gas, _zero);
        var receipt = await _web3.Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input);
        if (receipt.Status?.Value == 1)
        {
            return receipt;
        }
        var block = new BlockParameter(receipt.BlockNumber);
        var found = diagnose is null ? null : await diagnose(block, await TimestampAsync(block));
        throw found ?? new GovernanceException(GovernanceFailure.TransactionReverted,
            $"The transaction to {step} reverted ({receipt.TransactionHash}); the checks found no reason. Read the proposal with `openledger gov show`, then try again.",
            proposalId, receipt.TransactionHash);
    }

    private async Task RequireChainAsync()
    {
        if (_chainChecked)
        {
            return;
        }
        var reported = await _web3.Eth.ChainId.SendRequestAsync();
        if (reported.Value != _contracts.ChainId)
        {
            throw new GovernanceException(GovernanceFailure.ChainMismatch,
                $"The node reports chain id {reported.Value}, but the deployment record is for chain {_contracts.ChainId}; point --rpc at that chain, or use its record.");
        }
        _chainChecked = true;
    }

    private string RequireSigner() => Signer ?? throw new GovernanceException(GovernanceFailure.NoSigner,
        "This action sends a transaction and no signing key was given; pass a key (`--key NAME`).");

    private static void RequireAddress(string address)
    {
        if (!AddressUtil.Current.IsValidEthereumAddressHexFormat(address))
        {
            throw new GovernanceException(GovernanceFailure.InvalidAddress, $"'{address}' is not an Ethereum address (0x and 40 hex digits).");
        }
    }

    private static bool IsZero(string? address) => string.IsNullOrEmpty(address) || new BigInteger(address.HexToByteArray(), isUnsigned: true).IsZero;

    // A proposal id is a 256-bit hash: messages name it by its first and last digits (the exception carries it whole).
    private static string Label(BigInteger id)
    {
        var digits = id.ToString(CultureInfo.InvariantCulture);
        return digits.Length <= 16 ? digits : $"{digits[..8]}...{digits[^6..]}";
    }

    private static string Tokens(BigInteger wei, string symbol)
    {
        var whole = BigInteger.DivRem(wei, EconomySettings.Open, out var fraction);
        var decimals = fraction.IsZero ? "" : "." + fraction.ToString("D18", CultureInfo.InvariantCulture).TrimEnd('0');
        return $"{whole.ToString("N0", CultureInfo.InvariantCulture)}{decimals} {symbol}";
    }

    private static string Time(ulong unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
