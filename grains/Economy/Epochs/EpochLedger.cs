using System.Numerics;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Epochs;

/// <summary>
/// Accrues fees for the open epoch and keeps each account's cumulative earnings across epochs (a cumulative Merkle
/// distributor pays the difference since an account's last claim, so every close lists every account that ever
/// earned). In memory and single-threaded: its owner (a grain) persists what <see cref="Close"/> returns.
/// </summary>
public sealed class EpochLedger
{
    private readonly SortedDictionary<string, BigInteger> _cumulative = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BigInteger> _epoch = new(StringComparer.Ordinal);
    private BigInteger _total;
    private BigInteger _burn;

    /// <summary>
    /// Starts at <paramref name="epochId"/> (1 for a new chain), resuming from the cumulative amounts of the last closed
    /// epoch when given.
    /// </summary>
    public EpochLedger(long epochId = 1, IEnumerable<CumulativeLeaf>? cumulative = null)
    {
        if (epochId < 1)
        {
            throw new ArgumentException($"Epoch ids start at 1; {epochId} was given.", nameof(epochId));
        }
        EpochId = epochId;
        foreach (var leaf in cumulative ?? [])
        {
            var account = Account.Require(leaf.Account, nameof(cumulative));
            if (!_cumulative.TryAdd(account, Wei.Require(leaf.CumulativeAmount, nameof(cumulative))))
            {
                throw new ArgumentException($"Account {account} appears twice in the cumulative amounts.", nameof(cumulative));
            }
        }
    }

    /// <summary>The open epoch's id.</summary>
    public long EpochId { get; private set; }

    /// <summary>The wei accrued to recipients in the open epoch (burn excluded).</summary>
    public BigInteger EpochTotal => _total;

    /// <summary>The wei to be burned in the open epoch.</summary>
    public BigInteger EpochBurn => _burn;

    /// <summary>What <paramref name="account"/> accrued in the open epoch.</summary>
    public BigInteger EpochAccrued(string account) => _epoch.GetValueOrDefault(Account.Require(account, nameof(account)));

    /// <summary>What <paramref name="account"/> has earned over all closed epochs plus the open one.</summary>
    public BigInteger Cumulative(string account)
    {
        var canonical = Account.Require(account, nameof(account));
        return _cumulative.GetValueOrDefault(canonical) + _epoch.GetValueOrDefault(canonical);
    }

    /// <summary>
    /// Adds <paramref name="accruals"/> to the open epoch, all or nothing: a negative amount, a bad address, a claimable
    /// accrual to the zero address or a total past uint256 throws <see cref="ArgumentException"/> and accrues none.
    /// </summary>
    public void Accrue(IReadOnlyList<Accrual> accruals)
    {
        ArgumentNullException.ThrowIfNull(accruals);
        var burn = BigInteger.Zero;
        var credits = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var accrual in accruals)
        {
            Wei.Require(accrual.Wei, nameof(accruals));
            if (accrual.Role == AccrualRole.Burn)
            {
                burn += accrual.Wei;
                continue;
            }
            var account = Account.Require(accrual.Recipient, nameof(accruals));
            credits[account] = credits.GetValueOrDefault(account) + accrual.Wei;
        }
        Wei.Require(_burn + burn, nameof(accruals));
        foreach (var (account, wei) in credits)
        {
            Wei.Require(Cumulative(account) + wei, nameof(accruals));
        }
        var credited = credits.Values.Aggregate(BigInteger.Zero, (a, b) => a + b);
        Wei.Require(_total + credited, nameof(accruals));
        _burn += burn;
        _total += credited;
        foreach (var (account, wei) in credits)
        {
            _epoch[account] = _epoch.GetValueOrDefault(account) + wei;
        }
    }

    /// <summary>Closes the open epoch into its cumulative Merkle tree and opens the next.</summary>
    public EpochClose Close()
    {
        var total = _total;
        foreach (var (account, wei) in _epoch)
        {
            _cumulative[account] = _cumulative.GetValueOrDefault(account) + wei;
        }
        var leaves = _cumulative.Where(p => !p.Value.IsZero).Select(p => new CumulativeLeaf(p.Key, p.Value)).ToList();
        var close = new EpochClose(EpochId, leaves, total, _burn);
        _epoch.Clear();
        _total = BigInteger.Zero;
        _burn = BigInteger.Zero;
        EpochId++;
        return close;
    }
}
