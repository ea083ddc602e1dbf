using System.Numerics;
using Nethereum.Signer;
using Nethereum.Web3.Accounts;
using OpenLedger.Client.Chain;
using OpenLedger.Testing;

namespace OpenLedger.Chain.Tests;

/// <summary>
/// Governance of a whole deployed economy through the SDK: the quorum counts the OPEN supply, so a small holder cannot
/// pass a proposal alone while a delegate of a quarter of the supply can; every refusal is typed; the guardian vetoes.
/// Times are the local settings': voting opens 1 s after a proposal and lasts 60 s; the Timelock waits 60 s.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class GovernanceClientTests(ChainFixture chain)
{
    private static readonly BigInteger _open = ChainFixture.Open;

    [Fact]
    public async Task A_small_holder_cannot_pass_a_proposal_alone_and_a_delegate_of_a_quarter_of_OPEN_changes_the_fee_split()
    {
        var (economy, artifacts) = await DeployAsync(guardian: null);
        var treasury = Client(economy, artifacts, Ganache.FirstAccountKey);
        var (small, smallKey) = await FundedAccountAsync();
        var (delegatee, delegateKey) = await FundedAccountAsync();
        await TransferOpenAsync(economy, artifacts, small.Address, 100 * _open);

        // 100 OPEN wrapped and delegated meets the proposal threshold. Had the quorum stayed 25% of the wrapped gOPEN
        // supply, these 100 would be all of it and the proposal would pass; against the OPEN supply it needs 250M.
        var smallGovernance = Client(economy, artifacts, smallKey);
        var wrapped = await smallGovernance.WrapAsync(100 * _open);
        Assert.Equal((BigInteger.Zero, 100 * _open, 100 * _open), (wrapped.Open, wrapped.Wrapped, wrapped.Votes));
        Assert.Equal(small.Address, wrapped.Delegate, ignoreCase: true);
        await chain.IncreaseTimeAsync(1); // the governor counts votes as of the second before a proposal
        var lone = (await smallGovernance.ProposeFeeSplitAsync(new FeeSplitChange(0, 1000, 4000, 5000), "No burn; the burn goes to model developers")).Proposal;
        Assert.Equal(ProposalState.Pending, lone.State);
        Assert.Equal(250_000_000 * _open, lone.Quorum);
        Assert.Equal(1, lone.Number);

        await chain.IncreaseTimeAsync(2);
        var vote = await smallGovernance.VoteAsync(lone.Id, VoteSupport.For);
        Assert.Equal(100 * _open, vote.Weight);
        Assert.Equal(100 * _open, vote.Proposal.ForVotes);
        await chain.IncreaseTimeAsync(61);
        var defeated = await smallGovernance.GetProposalAsync(lone.Id);
        Assert.Equal(ProposalState.Defeated, defeated.State);
        Assert.False(defeated.QuorumReached);
        var refused = await Assert.ThrowsAsync<GovernanceException>(() => smallGovernance.QueueAsync(lone.Id));
        Assert.Equal(GovernanceFailure.ProposalDefeated, refused.Failure);
        Assert.Equal("proposal_defeated", refused.Code);

        // The treasury wraps 300M OPEN and delegates the votes to an account that holds none; that delegate passes a change.
        var delegated = await treasury.WrapAsync(300_000_000 * _open, delegatee.Address);
        Assert.Equal(delegatee.Address, delegated.Delegate, ignoreCase: true);
        var delegatePower = await treasury.GetVotingPowerAsync(delegatee.Address);
        Assert.Equal((BigInteger.Zero, BigInteger.Zero, 300_000_000 * _open), (delegatePower.Open, delegatePower.Wrapped, delegatePower.Votes));
        await chain.IncreaseTimeAsync(1);
        var delegateGovernance = Client(economy, artifacts, delegateKey);
        const string description = "Burn 10%, model developers 30%";
        var proposed = (await delegateGovernance.ProposeFeeSplitAsync(new FeeSplitChange(1000, 1000, 3000, 5000), description)).Proposal;
        Assert.Equal(2, proposed.Number);
        Assert.Equal(description, proposed.Description);
        Assert.Equal(new FeeSplitChange(1000, 1000, 3000, 5000), proposed.FeeSplit);
        Assert.Equal(delegatee.Address, proposed.Proposer, ignoreCase: true);
        Assert.Equal(proposed.Id, await treasury.ResolveAsync("2"));
        Assert.Equal(proposed.Id, await treasury.ResolveAsync("#2"));
        Assert.Equal(proposed.Id, await treasury.ResolveAsync(proposed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await chain.IncreaseTimeAsync(2);
        var cast = await delegateGovernance.VoteAsync(proposed.Id, VoteSupport.For, "more burn, fewer tokens");
        Assert.Equal(300_000_000 * _open, cast.Weight);
        Assert.True(cast.Proposal.QuorumReached);
        await smallGovernance.VoteAsync(proposed.Id, VoteSupport.Against);
        var early = await Assert.ThrowsAsync<GovernanceException>(() => delegateGovernance.QueueAsync(proposed.Id));
        Assert.Equal(GovernanceFailure.StillVoting, early.Failure);

        await chain.IncreaseTimeAsync(61);
        Assert.Equal(ProposalState.Succeeded, (await treasury.GetProposalAsync(proposed.Id)).State);
        var notQueued = await Assert.ThrowsAsync<GovernanceException>(() => delegateGovernance.ExecuteAsync(proposed.Id));
        Assert.Equal(GovernanceFailure.NotQueued, notQueued.Failure);
        var queued = (await delegateGovernance.QueueAsync(proposed.Id)).Proposal;
        Assert.Equal(ProposalState.Queued, queued.State);
        Assert.True(queued.Eta >= (ulong)await chain.NowAsync() + 59);
        var pending = await Assert.ThrowsAsync<GovernanceException>(() => delegateGovernance.ExecuteAsync(proposed.Id));
        Assert.Equal(GovernanceFailure.TimelockPending, pending.Failure);

        await chain.IncreaseTimeAsync(61);
        var executed = await smallGovernance.ExecuteAsync(proposed.Id); // anyone may execute
        Assert.Equal(ProposalState.Executed, executed.Proposal.State);
        var overview = await EconomyOverview.ReadAsync(chain.RpcUrl, economy, artifacts);
        Assert.Equal((1000, 1000, 3000, 5000), (overview.BurnBps, overview.ProtocolBps, overview.ModelDeveloperBps, overview.DataContributorsBps));
        var again = await Assert.ThrowsAsync<GovernanceException>(() => smallGovernance.ExecuteAsync(proposed.Id));
        Assert.Equal(GovernanceFailure.AlreadyExecuted, again.Failure);

        var listed = await treasury.ListProposalsAsync();
        Assert.Equal(new[] { ProposalState.Defeated, ProposalState.Executed }, listed.Select(p => p.State));
    }

    [Fact]
    public async Task Burning_OPEN_after_a_vote_never_turns_a_defeated_proposal_into_a_passed_one()
    {
        var (economy, artifacts) = await DeployAsync(guardian: null);
        var treasury = Client(economy, artifacts, Ganache.FirstAccountKey);
        await treasury.WrapAsync(240_000_000 * _open); // just short of 25% of 1B
        await chain.IncreaseTimeAsync(1);
        var id = (await treasury.ProposeFeeSplitAsync(new FeeSplitChange(2000, 1000, 2000, 5000), "Burn 20%")).Proposal.Id;
        await chain.IncreaseTimeAsync(2);
        await treasury.VoteAsync(id, VoteSupport.For);
        await chain.IncreaseTimeAsync(61);
        Assert.Equal(ProposalState.Defeated, (await treasury.GetProposalAsync(id)).State);

        // 100M OPEN burned: 25% of the supply now is 225M, below the 240M cast. The proposal's quorum is the one
        // recorded before its vote, so it stays defeated; a new proposal is measured against the smaller supply.
        var token = new Deployed(chain, "OpenToken", artifacts.Get("OpenToken").Abi, economy.Token);
        await token.SendOkAsync(chain.Deployer, "burn", 100_000_000 * _open);
        var after = await treasury.GetProposalAsync(id);
        Assert.Equal((ProposalState.Defeated, 250_000_000 * _open), (after.State, after.Quorum));
        Assert.Equal(GovernanceFailure.ProposalDefeated, (await Refused(() => treasury.QueueAsync(id))).Failure);
        var governor = new Deployed(chain, "OpenGovernor", artifacts.Get("OpenGovernor").Abi, economy.Governor);
        Assert.Equal(3, (int)await governor.CallAsync<byte>("state", id)); // Defeated on chain too
        var next = (await treasury.ProposeFeeSplitAsync(new FeeSplitChange(2000, 1000, 2000, 5000), "Burn 20%, after the burn")).Proposal;
        Assert.Equal(225_000_000 * _open, next.Quorum);
    }

    [Fact]
    public void A_fee_split_that_is_not_whole_is_refused_with_its_sum()
    {
        var uneven = Assert.Throws<GovernanceException>(() => new FeeSplitChange(500, 1000, 3500, 4000));
        Assert.Equal("invalid_fee_split", uneven.Code);
        Assert.Contains("9000", uneven.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<GovernanceException>(() => new FeeSplitChange(-500, 1500, 4000, 5000));
        Assert.Equal(GovernanceFailure.InvalidFeeSplit, negative.Failure);

        var split = new FeeSplitChange(250, 750, 4000, 5000);
        Assert.Equal(split, FeeSplitChange.FromCalldata(split.Calldata()));
        Assert.Null(FeeSplitChange.FromCalldata(split.Calldata()[..^1]));
    }

    [Fact]
    public async Task Every_refusal_is_typed_and_sends_nothing_it_knows_would_revert()
    {
        var (economy, artifacts) = await DeployAsync(guardian: null);
        var treasury = Client(economy, artifacts, Ganache.FirstAccountKey);
        var (_, strangerKey) = await FundedAccountAsync();
        var stranger = Client(economy, artifacts, strangerKey);
        var split = new FeeSplitChange(500, 1500, 3000, 5000);

        Assert.Equal(GovernanceFailure.NotEnoughVotes, (await Refused(() => stranger.ProposeFeeSplitAsync(split, "Protocol 15%"))).Failure);
        Assert.Equal(GovernanceFailure.InsufficientOpen, (await Refused(() => stranger.WrapAsync(_open))).Failure);
        Assert.Equal(GovernanceFailure.InvalidAmount, (await Refused(() => treasury.WrapAsync(0))).Failure);
        Assert.Equal(GovernanceFailure.InvalidAddress, (await Refused(() => treasury.DelegateAsync("0x1234"))).Failure);
        Assert.Equal(GovernanceFailure.MissingDescription, (await Refused(() => treasury.ProposeFeeSplitAsync(split, " "))).Failure);
        Assert.Equal(GovernanceFailure.NoSigner, (await Refused(() => Client(economy, artifacts, null).WrapAsync(_open))).Failure);
        Assert.Equal(GovernanceFailure.UnknownProposal, (await Refused(() => treasury.ResolveAsync("1"))).Failure);
        Assert.Equal(GovernanceFailure.UnknownProposal, (await Refused(() => treasury.ResolveAsync("next"))).Failure);
        var unknown = await Refused(() => treasury.VoteAsync(12345, VoteSupport.For));
        Assert.Equal(("unknown_proposal", GovernanceFailure.UnknownProposal), (unknown.Code, unknown.Failure));

        await treasury.WrapAsync(300_000_000 * _open);
        await chain.IncreaseTimeAsync(1);
        var nonce = await NonceAsync(treasury.Signer!);
        var id = (await treasury.ProposeFeeSplitAsync(split, "Protocol 15%")).Proposal.Id;
        Assert.Equal(nonce + 1, await NonceAsync(treasury.Signer!));
        Assert.Equal(GovernanceFailure.ProposalExists, (await Refused(() => treasury.ProposeFeeSplitAsync(split, "Protocol 15%"))).Failure);
        Assert.Equal(GovernanceFailure.VotingNotStarted, (await Refused(() => treasury.VoteAsync(id, VoteSupport.For))).Failure);

        await chain.IncreaseTimeAsync(2);
        Assert.Equal(GovernanceFailure.NoVotingPower, (await Refused(() => stranger.VoteAsync(id, VoteSupport.Against))).Failure);
        await treasury.VoteAsync(id, VoteSupport.Abstain);
        Assert.Equal(GovernanceFailure.AlreadyVoted, (await Refused(() => treasury.VoteAsync(id, VoteSupport.For))).Failure);

        await chain.IncreaseTimeAsync(61);
        Assert.Equal(GovernanceFailure.VotingClosed, (await Refused(() => stranger.VoteAsync(id, VoteSupport.For))).Failure);
        // Abstaining reaches the quorum but passes nothing: it needs more votes for than against.
        var closed = await treasury.GetProposalAsync(id);
        Assert.True(closed.QuorumReached);
        Assert.Equal(ProposalState.Defeated, closed.State);
        Assert.Equal(GovernanceFailure.ProposalDefeated, (await Refused(() => treasury.ExecuteAsync(id))).Failure);
        Assert.Equal(nonce + 2, await NonceAsync(treasury.Signer!)); // the proposal and one vote: no refused transaction was sent
    }

    [Fact]
    public async Task The_guardian_vetoes_a_queued_proposal_and_nobody_else_can()
    {
        var (guardian, guardianKey) = await FundedAccountAsync();
        var (economy, artifacts) = await DeployAsync(guardian.Address);
        var treasury = Client(economy, artifacts, Ganache.FirstAccountKey);
        var (_, strangerKey) = await FundedAccountAsync();

        await treasury.WrapAsync(300_000_000 * _open);
        await chain.IncreaseTimeAsync(1);
        var id = (await treasury.ProposeFeeSplitAsync(new FeeSplitChange(0, 0, 5000, 5000), "Everything to developers and data")).Proposal.Id;
        var guardianGovernance = Client(economy, artifacts, guardianKey);
        Assert.Equal(GovernanceFailure.StillVoting, (await Refused(() => guardianGovernance.VetoAsync(id))).Failure);
        await chain.IncreaseTimeAsync(2);
        await treasury.VoteAsync(id, VoteSupport.For);
        await chain.IncreaseTimeAsync(61);
        await treasury.QueueAsync(id);

        Assert.Equal(GovernanceFailure.NotGuardian, (await Refused(() => Client(economy, artifacts, strangerKey).VetoAsync(id))).Failure);
        var vetoed = await guardianGovernance.VetoAsync(id);
        Assert.Equal(ProposalState.Canceled, vetoed.Proposal.State);
        await chain.IncreaseTimeAsync(61);
        Assert.Equal(GovernanceFailure.ProposalCanceled, (await Refused(() => treasury.ExecuteAsync(id))).Failure);
        var overview = await EconomyOverview.ReadAsync(chain.RpcUrl, economy, artifacts);
        Assert.Equal((500, 1000, 3500, 5000), (overview.BurnBps, overview.ProtocolBps, overview.ModelDeveloperBps, overview.DataContributorsBps));
    }

    private async Task<(EconomyContracts Economy, ContractArtifacts Artifacts)> DeployAsync(string? guardian)
    {
        var settings = EconomySettings.Local(DevelopmentMnemonic.Address(DevelopmentMnemonic.SettlerIndex)) with { Guardian = guardian };
        var deployed = await EconomyDeployment.DeployAsync(chain.RpcUrl, Ganache.FirstAccountKey, Ganache.ChainId, chain.ArtifactsFolder, settings);
        return (deployed.Contracts, ContractArtifacts.Load(chain.ArtifactsFolder));
    }

    private GovernanceClient Client(EconomyContracts economy, ContractArtifacts artifacts, string? key) => new(chain.RpcUrl, economy, artifacts, key);

    // A fresh account with ether for gas, so no other test's account (or its nonces) is touched.
    private async Task<(Account Account, string Key)> FundedAccountAsync()
    {
        var key = EthECKey.GenerateKey();
        var account = new Account(key, Ganache.ChainId);
        var receipt = await chain.Web3For(chain.Deployer).Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(account.Address, 1m);
        Assert.Equal(1, (int)receipt.Status.Value);
        return (account, key.GetPrivateKey());
    }

    private async Task TransferOpenAsync(EconomyContracts economy, ContractArtifacts artifacts, string to, BigInteger amount)
    {
        var token = new Deployed(chain, "OpenToken", artifacts.Get("OpenToken").Abi, economy.Token);
        await token.SendOkAsync(chain.Deployer, "transfer", to, amount);
    }

    private async Task<BigInteger> NonceAsync(string account) =>
        (await chain.Web3For(chain.Deployer).Eth.Transactions.GetTransactionCount.SendRequestAsync(account)).Value;

    private static Task<GovernanceException> Refused<T>(Func<Task<T>> action) => Assert.ThrowsAsync<GovernanceException>(action);
}
