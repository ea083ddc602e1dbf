using Apache.Arrow;

namespace OpenLedger.Economy.Earnings.Tables;

/// <summary>
/// One record batch of the <c>accounts</c> table (<see cref="EarningsTables.AccountsSchema"/>). An amount
/// decimal128(38, 0) cannot hold is refused with a <see cref="WeiNotRepresentableException"/> naming the account; the
/// builder is then discarded.
/// </summary>
/// <param name="firstRow">The table position of the first row added, so errors name rows as the table numbers them.</param>
public sealed class AccountBatchBuilder(long firstRow)
{
    private readonly TextColumn _accounts = new();
    private readonly WeiColumn _accrued = new(EarningsTables.Accounts, "accrued_wei");
    private readonly WeiColumn _posted = new(EarningsTables.Accounts, "posted_wei");
    private readonly WeiColumn _claimed = new(EarningsTables.Accounts, "claimed_wei");
    private readonly WeiColumn _claimable = new(EarningsTables.Accounts, "claimable_wei");

    /// <summary>Rows added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one account's totals, each a decimal string of integer wei.</summary>
    public void Add(string account, string accruedWei, string postedWei, string claimedWei, string claimableWei)
    {
        ArgumentNullException.ThrowIfNull(account);
        var row = firstRow + Count;
        string Key() => $"account {account}";
        _accrued.Append(accruedWei ?? throw new ArgumentNullException(nameof(accruedWei)), row, Key);
        _posted.Append(postedWei ?? throw new ArgumentNullException(nameof(postedWei)), row, Key);
        _claimed.Append(claimedWei ?? throw new ArgumentNullException(nameof(claimedWei)), row, Key);
        _claimable.Append(claimableWei ?? throw new ArgumentNullException(nameof(claimableWei)), row, Key);
        _accounts.Append(account);
        Count++;
    }

    /// <summary>Adds one account's totals as the index keeps them (<see cref="EarningsIndex.AccountsPage"/>).</summary>
    public void Add(AccountEarnings earnings)
    {
        ArgumentNullException.ThrowIfNull(earnings);
        var row = firstRow + Count;
        string Key() => $"account {earnings.Account}";
        _accrued.Append(earnings.Accrued, row, Key);
        _posted.Append(earnings.Posted, row, Key);
        _claimed.Append(earnings.Claimed, row, Key);
        _claimable.Append(earnings.Claimable, row, Key);
        _accounts.Append(earnings.Account);
        Count++;
    }

    /// <summary>The batch of every row added.</summary>
    public RecordBatch Build() => new(EarningsTables.AccountsSchema,
        [_accounts.Build(), _accrued.Build(), _posted.Build(), _claimed.Build(), _claimable.Build()], Count);
}
