using System.Numerics;

namespace OpenLedger.Economy.Earnings;

/// <summary>An account's earnings in one epoch, with the accruals behind them kept in the order pages list them.</summary>
internal sealed class AccountEpoch(long epoch)
{
    private readonly List<AccountLine> _lines = [];

    /// <summary>The epoch.</summary>
    public long Epoch { get; } = epoch;

    /// <summary>What the account accrued in the epoch.</summary>
    public BigInteger Accrued { get; set; }

    /// <summary>What the epoch's post paid the account.</summary>
    public BigInteger Posted { get; set; }

    /// <summary>How many distinct inferences paid the account in the epoch.</summary>
    public int Inferences { get; set; }

    /// <summary>The accruals, oldest inference first.</summary>
    public IReadOnlyList<AccountLine> Lines => _lines;

    /// <summary>
    /// Inserts a line after every line of an earlier or equal inference. Inferences mostly arrive in time order, so
    /// the place is nearly always the end and insertion stays cheap.
    /// </summary>
    public void Add(AccountLine line)
    {
        var (low, high) = (0, _lines.Count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (ChargedInference.Compare(_lines[middle].Inference, line.Inference) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        _lines.Insert(low, line);
    }

    /// <summary>The epoch's figures as queries return them.</summary>
    public AccountEpochEarnings ToEarnings() => new(Epoch, Accrued, Posted, Inferences);
}
