using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace OpenLedger.Economy.Earnings;

/// <summary>An epoch post checked in full before the index touches anything: canonical accounts, each once, in address order.</summary>
internal sealed class CheckedPost
{
    private CheckedPost(long epoch, List<(string Account, BigInteger Wei)> amounts)
    {
        Epoch = epoch;
        Amounts = amounts;
        Total = amounts.Aggregate(BigInteger.Zero, (sum, a) => sum + a.Wei);
        var text = new StringBuilder();
        foreach (var (account, wei) in amounts)
        {
            text.Append(account).Append('=').Append(wei.ToString(CultureInfo.InvariantCulture)).Append(';');
        }
        Fingerprint = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>The epoch posted.</summary>
    public long Epoch { get; }

    /// <summary>Each account's amount, in address order.</summary>
    public IReadOnlyList<(string Account, BigInteger Wei)> Amounts { get; }

    /// <summary>What the post paid in all.</summary>
    public BigInteger Total { get; }

    /// <summary>SHA-256 of the canonical amounts.</summary>
    public byte[] Fingerprint { get; }

    /// <summary>Checks <paramref name="posted"/>; throws <see cref="InvalidEarningsEventException"/> on the first problem.</summary>
    public static CheckedPost From(EpochPosted posted)
    {
        ArgumentNullException.ThrowIfNull(posted);
        var key = posted.Key;
        if (posted.Epoch < 1)
        {
            throw new InvalidEarningsEventException(key, nameof(posted.Epoch), posted.Epoch.ToString(CultureInfo.InvariantCulture), "is not an epoch; epochs count from 1");
        }
        if (posted.Amounts is null)
        {
            throw new InvalidEarningsEventException(key, nameof(posted.Amounts), null, "is missing");
        }
        var amounts = new List<(string, BigInteger)>(posted.Amounts.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < posted.Amounts.Count; i++)
        {
            var field = $"{nameof(posted.Amounts)}[{i}]";
            var amount = posted.Amounts[i] ?? throw new InvalidEarningsEventException(key, field, null, "is missing");
            var account = EventAddress.Require(key, $"{field}.Account", amount.Account);
            if (!seen.Add(account))
            {
                throw new InvalidEarningsEventException(key, $"{field}.Account", amount.Account, "is listed twice; a post pays each account once");
            }
            amounts.Add((account, WeiText.Parse(key, $"{field}.Wei", amount.Wei)));
        }
        amounts.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return new CheckedPost(posted.Epoch, amounts);
    }
}
