using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>Everything the index knows about one account: its running totals and its epochs.</summary>
internal sealed class AccountLedger(string account)
{
    private readonly Dictionary<long, AccountEpoch> _epochs = [];

    /// <summary>The account, canonical.</summary>
    public string Account { get; } = account;

    /// <summary>Accrued over all epochs.</summary>
    public BigInteger Accrued { get; set; }

    /// <summary>Paid by posted epochs.</summary>
    public BigInteger Posted { get; set; }

    /// <summary>The largest cumulative amount a claim has drawn.</summary>
    public BigInteger Claimed { get; set; }

    /// <summary>The account's epochs, in no order.</summary>
    public IEnumerable<AccountEpoch> Epochs => _epochs.Values;

    /// <summary>The account's figures in <paramref name="epoch"/>, created empty when new.</summary>
    public AccountEpoch In(long epoch)
    {
        if (!_epochs.TryGetValue(epoch, out var entry))
        {
            entry = new AccountEpoch(epoch);
            _epochs.Add(epoch, entry);
        }
        return entry;
    }

    /// <summary>The account's figures in <paramref name="epoch"/>, or null.</summary>
    public AccountEpoch? Find(long epoch) => _epochs.GetValueOrDefault(epoch);

    /// <summary>The totals as queries return them.</summary>
    public AccountEarnings ToEarnings() => new(Account, Accrued, Posted, Claimed);
}
