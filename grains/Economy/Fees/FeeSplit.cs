namespace OpenLedger.Economy.Fees;

/// <summary>
/// How an inference fee divides, in basis points of the fee: burned, to the protocol treasury, to the model's developer
/// and to the data contributors (split among them by attribution). The four parts always add up to 10,000.
/// The defaults (burn 5%, protocol 10%, model developer 35%, data contributors 50%) are OpenLedger Grid's own
/// governable choice, mirrored by the on-chain parameters; OpenLedger publishes no split.
/// </summary>
public sealed record FeeSplit
{
    /// <summary>The whole fee, in basis points.</summary>
    public const int Whole = 10_000;

    /// <summary>Creates a split; throws <see cref="ArgumentException"/> unless each part is 0..10,000 and they sum to 10,000.</summary>
    public FeeSplit(int burnBps, int protocolBps, int modelDeveloperBps, int dataContributorsBps)
    {
        Check(burnBps, nameof(burnBps));
        Check(protocolBps, nameof(protocolBps));
        Check(modelDeveloperBps, nameof(modelDeveloperBps));
        Check(dataContributorsBps, nameof(dataContributorsBps));
        var sum = (long)burnBps + protocolBps + modelDeveloperBps + dataContributorsBps;
        if (sum != Whole)
        {
            throw new ArgumentException(
                $"The fee split's parts sum to {sum} basis points (burn {burnBps} + protocol {protocolBps} + model developer {modelDeveloperBps} + data contributors {dataContributorsBps}); they must sum to exactly {Whole}.");
        }
        (BurnBps, ProtocolBps, ModelDeveloperBps, DataContributorsBps) = (burnBps, protocolBps, modelDeveloperBps, dataContributorsBps);
    }

    /// <summary>The grid's default split: burn 500, protocol 1,000, model developer 3,500, data contributors 5,000.</summary>
    public static FeeSplit Default { get; } = new(500, 1_000, 3_500, 5_000);

    /// <summary>The part burned, in basis points (default 500).</summary>
    public int BurnBps { get; }

    /// <summary>The part to the protocol treasury, in basis points (default 1,000).</summary>
    public int ProtocolBps { get; }

    /// <summary>The part to the model's developer, in basis points (default 3,500).</summary>
    public int ModelDeveloperBps { get; }

    /// <summary>The part to the data contributors together, in basis points (default 5,000).</summary>
    public int DataContributorsBps { get; }

    private static void Check(int bps, string name)
    {
        if (bps is < 0 or > Whole)
        {
            throw new ArgumentException($"The fee split part {name} is {bps} basis points; each part must be between 0 and {Whole}.", name);
        }
    }
}
