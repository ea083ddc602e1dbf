using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Nethereum.Util;

namespace OpenLedger.Client.Chain;

/// <summary>
/// A fee split to propose: basis points for burn, the protocol treasury, the model developer and the data contributors.
/// The FeeSplit contract only accepts four shares that add up to 10,000, so a split that does not is refused here,
/// before any proposal is made or any vote is spent on it.
/// </summary>
public sealed record FeeSplitChange
{
    /// <summary>Basis points in a whole fee.</summary>
    public const int TotalBps = 10_000;

    private static readonly byte[] _setSplitSelector =
        Sha3Keccack.Current.CalculateHash(Encoding.ASCII.GetBytes("setSplit(uint16,uint16,uint16,uint16)"))[..4];

    /// <summary>A split; each share is in basis points (1/100 of a percent).</summary>
    /// <exception cref="GovernanceException">
    /// A share is outside 0..10,000 or the four do not add up to 10,000 (<see cref="GovernanceFailure.InvalidFeeSplit"/>).
    /// </exception>
    public FeeSplitChange(int burnBps, int protocolBps, int modelDeveloperBps, int dataContributorsBps)
    {
        var shares = new[] { ("burn", burnBps), ("protocol", protocolBps), ("model developer", modelDeveloperBps), ("data contributors", dataContributorsBps) };
        foreach (var (name, bps) in shares)
        {
            if (bps is < 0 or > TotalBps)
            {
                throw new GovernanceException(GovernanceFailure.InvalidFeeSplit,
                    string.Create(CultureInfo.InvariantCulture, $"The {name} share is {bps} basis points; each share must be between 0 and {TotalBps}."));
            }
        }
        var sum = burnBps + protocolBps + modelDeveloperBps + dataContributorsBps;
        if (sum != TotalBps)
        {
            throw new GovernanceException(GovernanceFailure.InvalidFeeSplit, string.Create(CultureInfo.InvariantCulture,
                $"The shares add up to {sum} basis points (burn {burnBps} + protocol {protocolBps} + model developer {modelDeveloperBps} + data contributors {dataContributorsBps}); they must add up to exactly {TotalBps}."));
        }
        (BurnBps, ProtocolBps, ModelDeveloperBps, DataContributorsBps) = (burnBps, protocolBps, modelDeveloperBps, dataContributorsBps);
    }

    /// <summary>Basis points of each fee burned.</summary>
    public int BurnBps { get; }

    /// <summary>Basis points to the protocol treasury.</summary>
    public int ProtocolBps { get; }

    /// <summary>Basis points to the model's developer.</summary>
    public int ModelDeveloperBps { get; }

    /// <summary>Basis points to the data contributors, by attribution.</summary>
    public int DataContributorsBps { get; }

    /// <summary>The calldata of <c>FeeSplit.setSplit(burn, protocol, modelDeveloper, dataContributors)</c> for this split.</summary>
    public byte[] Calldata()
    {
        var data = new byte[4 + 4 * 32];
        _setSplitSelector.CopyTo(data, 0);
        var shares = new[] { BurnBps, ProtocolBps, ModelDeveloperBps, DataContributorsBps };
        for (var i = 0; i < shares.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(4 + i * 32 + 30), (ushort)shares[i]);
        }
        return data;
    }

    /// <summary>The split a <c>setSplit</c> call sets; null when <paramref name="calldata"/> is some other call or an invalid split.</summary>
    public static FeeSplitChange? FromCalldata(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length != 4 + 4 * 32 || !calldata[..4].SequenceEqual(_setSplitSelector))
        {
            return null;
        }
        var shares = new int[4];
        for (var i = 0; i < shares.Length; i++)
        {
            var word = calldata.Slice(4 + i * 32, 32);
            if (word[..30].ContainsAnyExcept((byte)0))
            {
                return null;
            }
            shares[i] = BinaryPrimitives.ReadUInt16BigEndian(word[30..]);
        }
        return shares.Sum() == TotalBps ? new FeeSplitChange(shares[0], shares[1], shares[2], shares[3]) : null;
    }
}
