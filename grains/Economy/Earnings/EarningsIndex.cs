using System.Numerics;
using System.Runtime.InteropServices;
using OpenLedger.Economy.Fees;

namespace OpenLedger.Economy.Earnings;

/// <summary>
/// The analysts' earnings read model: it applies the grains' earnings events and keeps, per account, Datanet, model,
/// adapter, agent and epoch, the totals queries ask for, so no query scans the accruals. Events may come twice and
/// out of order: applying one again changes nothing, and a refused event (a typed <see cref="EarningsException"/>)
/// leaves the index exactly as it was. Amounts are exact wei. Not thread-safe: its owner applies one event at a time.
/// </summary>
public sealed partial class EarningsIndex
{
    private readonly Dictionary<string, ChargedInference> _inferences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountLedger> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DatanetTally> _datanets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyTally> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyTally> _adapters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyTally> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<long, EpochTally> _epochs = [];
    private readonly Dictionary<string, (string Account, BigInteger Cumulative)> _claims = new(StringComparer.Ordinal);

    /// <summary>How many distinct inferences have been applied.</summary>
    public int Inferences => _inferences.Count;

    /// <summary>How many accounts have accrued, been posted or claimed.</summary>
    public int Accounts => _accounts.Count;

    /// <summary>
    /// Applies <paramref name="earningsEvent"/>; returns false when it was applied before (a second delivery) and so
    /// changed nothing. Throws <see cref="InvalidEarningsEventException"/> on a malformed event,
    /// <see cref="ConflictingEarningsEventException"/> when its key was applied with other content, and
    /// <see cref="ClaimExceedsPostedException"/> for a claim beyond what was posted; the index is then unchanged.
    /// </summary>
    public bool Apply(EarningsEvent earningsEvent)
    {
        ArgumentNullException.ThrowIfNull(earningsEvent);
        return earningsEvent switch
        {
            InferenceCharged charged => Apply(CheckedCharge.From(charged)),
            EpochPosted posted => Apply(CheckedPost.From(posted)),
            EarningsClaimed claimed => Apply(claimed),
            _ => throw new ArgumentException($"The index does not know events of type {earningsEvent.GetType().Name}.", nameof(earningsEvent)),
        };
    }

    private bool Apply(CheckedCharge charge)
    {
        if (_inferences.TryGetValue(charge.InferenceId, out var earlier))
        {
            if (earlier.Fingerprint.AsSpan().SequenceEqual(charge.Fingerprint))
            {
                return false;
            }
            throw new ConflictingEarningsEventException($"inference {charge.InferenceId}",
                earlier.Epoch != charge.Epoch ? $"epoch {earlier.Epoch}, now {charge.Epoch}"
                : earlier.Fee != charge.Fee ? $"fee {earlier.Fee} wei, now {charge.Fee} wei"
                : "its time, agent, model, adapter or accruals differ");
        }

        // Everything below only adds: the checks that can refuse are all behind us.
        var agent = charge.Agent is null ? null : Tally(_agents, charge.Agent);
        var model = charge.ModelId is null ? null : Tally(_models, charge.ModelId);
        var adapter = charge.AdapterId is null ? null : Tally(_adapters, charge.AdapterId);
        var inference = new ChargedInference(charge, agent?.Key, model?.Key, adapter?.Key);
        _inferences.Add(inference.Id, inference);
        Append(inference);
        agent?.Add(charge.Epoch, charge.Fee);
        model?.Add(charge.Epoch, charge.Fee);
        adapter?.Add(charge.Epoch, charge.Fee);

        var epoch = EpochOf(charge.Epoch);
        epoch.Fees += charge.Fee;
        epoch.Inferences++;
        var datanetWei = new Dictionary<DatanetTally, BigInteger>();
        var paid = new HashSet<AccountEpoch>();
        foreach (var accrual in charge.Accruals)
        {
            if (accrual.Role == AccrualRole.Burn)
            {
                epoch.Burned += accrual.Wei;
                continue;
            }
            epoch.Accrued += accrual.Wei;
            string? datanetId = null;
            if (accrual.DatanetId is not null)
            {
                var datanet = DatanetOf(accrual.DatanetId);
                datanet.Credit(LedgerOf(accrual.Recipient).Account, accrual.Wei);
                datanetWei[datanet] = datanetWei.GetValueOrDefault(datanet) + accrual.Wei;
                datanetId = datanet.Totals.Key;
            }
            var account = LedgerOf(accrual.Recipient);
            account.Accrued += accrual.Wei;
            var accountEpoch = account.In(charge.Epoch);
            accountEpoch.Accrued += accrual.Wei;
            accountEpoch.Add(new AccountLine(inference, accrual.Role, accrual.Wei, datanetId, accrual.ContributionIds));
            if (paid.Add(accountEpoch))
            {
                accountEpoch.Inferences++;
            }
        }
        foreach (var (datanet, wei) in datanetWei)
        {
            datanet.Totals.Add(charge.Epoch, wei);
        }
        return true;
    }

    private bool Apply(CheckedPost post)
    {
        var epoch = EpochOf(post.Epoch);
        if (epoch.PostFingerprint is { } earlier)
        {
            if (earlier.AsSpan().SequenceEqual(post.Fingerprint))
            {
                return false;
            }
            throw new ConflictingEarningsEventException($"epoch {post.Epoch}",
                $"{epoch.PostedAccounts} accounts paid {epoch.Posted} wei, now {post.Amounts.Count} accounts paid {post.Total} wei");
        }
        epoch.PostFingerprint = post.Fingerprint;
        epoch.Posted = post.Total;
        epoch.PostedAccounts = post.Amounts.Count;
        foreach (var (account, wei) in post.Amounts)
        {
            var ledger = LedgerOf(account);
            ledger.Posted += wei;
            ledger.In(post.Epoch).Posted += wei;
        }
        return true;
    }

    private bool Apply(EarningsClaimed claimed)
    {
        var key = claimed.Key;
        if (string.IsNullOrWhiteSpace(claimed.Transaction))
        {
            throw new InvalidEarningsEventException(key, nameof(claimed.Transaction), claimed.Transaction, "is empty; a claim is named by its transaction");
        }
        var account = EventAddress.Require(key, nameof(claimed.Account), claimed.Account);
        var cumulative = WeiText.Parse(key, nameof(claimed.CumulativeWei), claimed.CumulativeWei);
        var transaction = claimed.Transaction.ToLowerInvariant();
        if (_claims.TryGetValue(transaction, out var earlier))
        {
            if (earlier == (account, cumulative))
            {
                return false;
            }
            throw new ConflictingEarningsEventException(key, $"{earlier.Account} claimed {earlier.Cumulative} wei in all, now {account} {cumulative} wei");
        }
        var posted = _accounts.GetValueOrDefault(account)?.Posted ?? BigInteger.Zero;
        if (cumulative > posted)
        {
            throw new ClaimExceedsPostedException(key, account, cumulative, posted);
        }
        _claims.Add(transaction, (account, cumulative));
        var ledger = LedgerOf(account);
        // Claims are cumulative, so one delivered late under an older transaction never lowers what was drawn.
        ledger.Claimed = BigInteger.Max(ledger.Claimed, cumulative);
        return true;
    }

    private static KeyTally Tally(Dictionary<string, KeyTally> tallies, string key) => GetOrAdd(tallies, key, k => new KeyTally(k));

    private AccountLedger LedgerOf(string account) => GetOrAdd(_accounts, account, a => new AccountLedger(a));

    private DatanetTally DatanetOf(string datanetId) => GetOrAdd(_datanets, datanetId, d => new DatanetTally(d));

    private EpochTally EpochOf(long epoch) => GetOrAdd(_epochs, epoch, e => new EpochTally(e));

    // One lookup whether the entry exists or not: apply runs once per accrual.
    private static TValue GetOrAdd<TKey, TValue>(Dictionary<TKey, TValue> entries, TKey key, Func<TKey, TValue> create)
        where TKey : notnull
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(entries, key, out var existed);
        if (!existed)
        {
            entry = create(key);
        }
        return entry!;
    }
}
