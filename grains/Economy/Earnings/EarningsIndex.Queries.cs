namespace OpenLedger.Economy.Earnings;

/// <summary>The index's queries: each reads kept totals, or one account's epoch, never the whole accrual history.</summary>
public sealed partial class EarningsIndex
{
    /// <summary>The most lines one page of <see cref="Behind"/> returns.</summary>
    public const int MaxPageSize = 1_000;

    /// <summary>An account's totals over all epochs (zero for an account the index has not seen).</summary>
    public AccountEarnings Account(string account)
    {
        var canonical = Economy.Account.Require(account, nameof(account));
        return _accounts.GetValueOrDefault(canonical)?.ToEarnings() ?? new AccountEarnings(canonical, 0, 0, 0);
    }

    /// <summary>An account's earnings in one epoch (zero when it earned nothing there).</summary>
    public AccountEpochEarnings Account(string account, long epoch)
    {
        var canonical = Economy.Account.Require(account, nameof(account));
        return _accounts.GetValueOrDefault(canonical)?.Find(epoch)?.ToEarnings() ?? new AccountEpochEarnings(epoch, 0, 0, 0);
    }

    /// <summary>An account's earnings over time: one entry per epoch it accrued or was posted in, oldest first.</summary>
    public IReadOnlyList<AccountEpochEarnings> History(string account)
    {
        var canonical = Economy.Account.Require(account, nameof(account));
        return _accounts.GetValueOrDefault(canonical) is { } ledger
            ? [.. ledger.Epochs.OrderBy(e => e.Epoch).Select(e => e.ToEarnings())]
            : [];
    }

    /// <summary>
    /// A page of the inferences behind an account's earnings in <paramref name="epoch"/>, oldest first (ties by
    /// inference id): each with its role, wei, Datanet and contributions. <paramref name="limit"/> is 1 to
    /// <see cref="MaxPageSize"/>.
    /// </summary>
    public EarningsPage Behind(string account, long epoch, int offset, int limit)
    {
        var canonical = Economy.Account.Require(account, nameof(account));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var lines = _accounts.GetValueOrDefault(canonical)?.Find(epoch)?.Lines;
        if (lines is null)
        {
            return new EarningsPage([], 0);
        }
        var page = new List<EarningsLine>(Math.Max(0, Math.Min(limit, lines.Count - offset)));
        for (var i = offset; i < lines.Count && page.Count < limit; i++)
        {
            page.Add(lines[i].ToEarningsLine());
        }
        return new EarningsPage(page, lines.Count);
    }

    /// <summary>
    /// The total of one Datanet (data contributors' wei earned there), model or adapter (fees of the inferences it
    /// served) or agent (fees it paid), over all epochs; zero for a key the index has not seen.
    /// </summary>
    public KeyEarnings Totals(EarningsDimension dimension, string key)
    {
        var (canonical, tally) = Find(dimension, key);
        return new KeyEarnings(dimension, canonical, tally?.Wei ?? 0, tally?.Inferences ?? 0);
    }

    /// <summary>As <see cref="Totals(EarningsDimension, string)"/>, in one epoch.</summary>
    public KeyEarnings Totals(EarningsDimension dimension, string key, long epoch)
    {
        var (canonical, tally) = Find(dimension, key);
        var (wei, inferences) = tally?.In(epoch) ?? default;
        return new KeyEarnings(dimension, canonical, wei, inferences);
    }

    /// <summary>One epoch's totals (zero, and not posted, for an epoch the index has not seen).</summary>
    public EpochEarnings Epoch(long epoch) => _epochs.GetValueOrDefault(epoch)?.ToEarnings() ?? new EpochEarnings(epoch, 0, 0, 0, 0, null);

    /// <summary>Every epoch the index has seen, oldest first.</summary>
    public IReadOnlyList<EpochEarnings> Epochs() => [.. _epochs.Values.OrderBy(e => e.Epoch).Select(e => e.ToEarnings())];

    /// <summary>A Datanet's <paramref name="count"/> (1 or more) largest earners over all epochs, most first, ties to the lower address.</summary>
    public IReadOnlyList<RankedContributor> TopContributors(string datanetId, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(datanetId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return _datanets.GetValueOrDefault(datanetId)?.Top(count) ?? [];
    }

    private (string Key, KeyTally? Tally) Find(EarningsDimension dimension, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return dimension switch
        {
            EarningsDimension.Datanet => (key, _datanets.GetValueOrDefault(key)?.Totals),
            EarningsDimension.Model => (key, _models.GetValueOrDefault(key)),
            EarningsDimension.Adapter => (key, _adapters.GetValueOrDefault(key)),
            EarningsDimension.Agent => Agent(key),
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not an earnings dimension."),
        };
    }

    private (string Key, KeyTally? Tally) Agent(string agent)
    {
        var canonical = Economy.Account.Require(agent, nameof(agent));
        return (canonical, _agents.GetValueOrDefault(canonical));
    }
}
