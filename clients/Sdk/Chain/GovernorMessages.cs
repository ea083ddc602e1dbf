using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OpenLedger.Client.Chain;

// Typed messages for the governor calls that the ABI cannot name alone: overloaded functions (queue and execute by
// proposal id, from GovernorStorage) and those returning several values or dynamic arrays.

/// <summary><c>queue(uint256 proposalId)</c>.</summary>
[Function("queue")]
internal sealed class QueueByIdFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)]
    public BigInteger ProposalId { get; set; }
}

/// <summary><c>execute(uint256 proposalId)</c>.</summary>
[Function("execute")]
internal sealed class ExecuteByIdFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)]
    public BigInteger ProposalId { get; set; }
}

/// <summary>What <c>proposalDetails(proposalId)</c> returns.</summary>
[FunctionOutput]
internal sealed class ProposalDetailsOutput : IFunctionOutputDTO
{
    [Parameter("address[]", "targets", 1)]
    public List<string> Targets { get; set; } = [];

    [Parameter("uint256[]", "values", 2)]
    public List<BigInteger> Values { get; set; } = [];

    [Parameter("bytes[]", "calldatas", 3)]
    public List<byte[]> Calldatas { get; set; } = [];

    [Parameter("bytes32", "descriptionHash", 4)]
    public byte[] DescriptionHash { get; set; } = [];
}

/// <summary>What <c>proposalDetailsAt(index)</c> returns.</summary>
[FunctionOutput]
internal sealed class ProposalDetailsAtOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "proposalId", 1)]
    public BigInteger ProposalId { get; set; }

    [Parameter("address[]", "targets", 2)]
    public List<string> Targets { get; set; } = [];

    [Parameter("uint256[]", "values", 3)]
    public List<BigInteger> Values { get; set; } = [];

    [Parameter("bytes[]", "calldatas", 4)]
    public List<byte[]> Calldatas { get; set; } = [];

    [Parameter("bytes32", "descriptionHash", 5)]
    public byte[] DescriptionHash { get; set; } = [];
}

/// <summary>What <c>proposalVotes(proposalId)</c> returns.</summary>
[FunctionOutput]
internal sealed class ProposalVotesOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "againstVotes", 1)]
    public BigInteger Against { get; set; }

    [Parameter("uint256", "forVotes", 2)]
    public BigInteger For { get; set; }

    [Parameter("uint256", "abstainVotes", 3)]
    public BigInteger Abstain { get; set; }
}

/// <summary>The governor's <c>ProposalCreated</c> event: the only place the description text is kept.</summary>
[Event("ProposalCreated")]
internal sealed class ProposalCreatedEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1, false)]
    public BigInteger ProposalId { get; set; }

    [Parameter("address", "proposer", 2, false)]
    public string Proposer { get; set; } = "";

    [Parameter("address[]", "targets", 3, false)]
    public List<string> Targets { get; set; } = [];

    [Parameter("uint256[]", "values", 4, false)]
    public List<BigInteger> Values { get; set; } = [];

    [Parameter("string[]", "signatures", 5, false)]
    public List<string> Signatures { get; set; } = [];

    [Parameter("bytes[]", "calldatas", 6, false)]
    public List<byte[]> Calldatas { get; set; } = [];

    [Parameter("uint256", "voteStart", 7, false)]
    public BigInteger VoteStart { get; set; }

    [Parameter("uint256", "voteEnd", 8, false)]
    public BigInteger VoteEnd { get; set; }

    [Parameter("string", "description", 9, false)]
    public string Description { get; set; } = "";
}
