using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace OpenLedger.Client.Chain;

/// <summary>
/// An agent's OPEN on-chain: its deposit in the fee vault, which pays for its calls, and its stake in AgentStaking,
/// which lets it call at all and answers for its misbehaviour. Topping either up approves, then deposits or stakes.
/// </summary>
public static class AgentDeposits
{
    private static readonly HexBigInteger _gas = new(200_000);

    /// <summary>
    /// Deposits <paramref name="amount"/> wei for the agent holding <paramref name="agentKey"/>. When
    /// <paramref name="funderKey"/> is given and the agent holds less OPEN than that, the funder first sends the
    /// difference (the local treasury funding a development agent). Returns the agent's vault balance after.
    /// </summary>
    public static async Task<BigInteger> DepositAsync(string rpcUrl, EconomyContracts contracts, ContractArtifacts artifacts,
        string agentKey, BigInteger amount, string? funderKey = null)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "Deposit a positive amount of wei.");
        }
        var agent = new Account(agentKey, contracts.ChainId);
        var token = artifacts.Get("OpenToken").Abi;
        await FundAsync(rpcUrl, contracts, artifacts, agent, amount, funderKey);
        await SendAsync(rpcUrl, agent, token, contracts.Token, "approve", contracts.FeeVault, amount);
        var vault = artifacts.Get("FeeVault").Abi;
        await SendAsync(rpcUrl, agent, vault, contracts.FeeVault, "deposit", amount);
        return await BalanceAsync(rpcUrl, contracts, artifacts, agent.Address);
    }

    /// <summary>
    /// Stakes <paramref name="amount"/> wei for the agent holding <paramref name="agentKey"/> (funded by
    /// <paramref name="funderKey"/> when it holds less). Returns the agent's active stake after.
    /// </summary>
    public static async Task<BigInteger> StakeAsync(string rpcUrl, EconomyContracts contracts, ContractArtifacts artifacts,
        string agentKey, BigInteger amount, string? funderKey = null)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "Stake a positive amount of wei.");
        }
        var agent = new Account(agentKey, contracts.ChainId);
        await FundAsync(rpcUrl, contracts, artifacts, agent, amount, funderKey);
        await SendAsync(rpcUrl, agent, artifacts.Get("OpenToken").Abi, contracts.Token, "approve", contracts.Staking, amount);
        await SendAsync(rpcUrl, agent, artifacts.Get("AgentStaking").Abi, contracts.Staking, "stake", amount);
        return await StakeOfAsync(rpcUrl, contracts, artifacts, agent.Address);
    }

    /// <summary>The agent's active stake, in wei.</summary>
    public static Task<BigInteger> StakeOfAsync(string rpcUrl, EconomyContracts contracts, ContractArtifacts artifacts, string agent) =>
        new Web3(rpcUrl).Eth.GetContract(artifacts.Get("AgentStaking").Abi, contracts.Staking).GetFunction("stakeOf").CallAsync<BigInteger>(agent);

    /// <summary>The agent's balance in the vault, in wei.</summary>
    public static Task<BigInteger> BalanceAsync(string rpcUrl, EconomyContracts contracts, ContractArtifacts artifacts, string agent) =>
        new Web3(rpcUrl).Eth.GetContract(artifacts.Get("FeeVault").Abi, contracts.FeeVault).GetFunction("balanceOf").CallAsync<BigInteger>(agent);

    // The funder (the local treasury) sends what the agent lacks of the amount.
    private static async Task FundAsync(string rpcUrl, EconomyContracts contracts, ContractArtifacts artifacts, Account agent, BigInteger amount, string? funderKey)
    {
        var token = artifacts.Get("OpenToken").Abi;
        var held = await new Web3(rpcUrl).Eth.GetContract(token, contracts.Token).GetFunction("balanceOf").CallAsync<BigInteger>(agent.Address);
        if (held < amount)
        {
            if (funderKey is null)
            {
                throw new InvalidOperationException($"Agent {agent.Address} holds {held} wei of OPEN, less than the {amount} wei needed.");
            }
            await SendAsync(rpcUrl, new Account(funderKey, contracts.ChainId), token, contracts.Token, "transfer", agent.Address, amount - held);
        }
    }

    private static async Task SendAsync(string rpcUrl, Account from, string abi, string address, string function, params object[] arguments)
    {
        var receipt = await new Web3(from, rpcUrl).Eth.GetContract(abi, address).GetFunction(function)
            .SendTransactionAndWaitForReceiptAsync(from.Address, _gas, null, null, arguments);
        if (receipt.Status.Value != 1)
        {
            throw new InvalidOperationException($"{function} on {address} reverted (transaction {receipt.TransactionHash}).");
        }
    }
}
