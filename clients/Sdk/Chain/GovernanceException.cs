using System.Numerics;
using System.Text;
using OpenLedger.Errors;

namespace OpenLedger.Client.Chain;

/// <summary>A governance action was refused, before anything was sent or after the chain reverted it.</summary>
/// <param name="failure">Why.</param>
/// <param name="message">What was wrong, with the values involved, and what to do next.</param>
/// <param name="proposalId">The proposal concerned, if any.</param>
/// <param name="transactionHash">The reverted transaction, if one was mined.</param>
public sealed class GovernanceException(GovernanceFailure failure, string message, BigInteger? proposalId = null, string? transactionHash = null)
    : OpenLedgerException(message)
{
    /// <summary>Why the action was refused.</summary>
    public GovernanceFailure Failure { get; } = failure;

    /// <summary>The proposal concerned, if any.</summary>
    public BigInteger? ProposalId { get; } = proposalId;

    /// <summary>The reverted transaction, when one was mined.</summary>
    public string? TransactionHash { get; } = transactionHash;

    /// <inheritdoc />
    public override string Code => SnakeCase(Failure.ToString());

    private static string SnakeCase(string name)
    {
        var code = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && code.Length > 0)
            {
                code.Append('_');
            }
            code.Append(char.ToLowerInvariant(c));
        }
        return code.ToString();
    }
}
