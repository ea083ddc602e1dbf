using System.Numerics;

namespace OpenLedger.Economy.Chain;

/// <summary>How <see cref="ChainSender"/> waits, retries and prices its transactions.</summary>
public sealed class ChainSenderOptions
{
    /// <summary>Blocks that must be mined on top of the receipt's block before an entry is final. Default 3.</summary>
    public int Confirmations { get; set; } = 3;

    /// <summary>The first pause between receipt (and block-height) polls; it doubles up to <see cref="PollMax"/>. Default 200 ms.</summary>
    public TimeSpan PollStart { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between polls. Default 5 s.</summary>
    public TimeSpan PollMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one broadcast may wait for a receipt before it is rebroadcast (and its fees bumped). Default 60 s.</summary>
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one call may drive an entry before it gives up with <see cref="ChainSendTimeoutException"/>; the entry
    /// stays in the store and a later call resumes it. Default 10 minutes.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Percent by which both fees rise when a receipt times out; 0 rebroadcasts the same bytes instead. Default 15
    /// (geth and ganache refuse a same-nonce replacement below +10%).
    /// </summary>
    public int FeeBumpPercent { get; set; } = 15;

    /// <summary>The most fee bumps per entry; after that timeouts only rebroadcast. Default 5.</summary>
    public int MaxFeeBumps { get; set; } = 5;

    /// <summary>The tip used when the node does not answer eth_maxPriorityFeePerGas. Default 1 gwei.</summary>
    public BigInteger FallbackPriorityFeePerGas { get; set; } = 1_000_000_000;

    /// <summary>The highest fee cap the signer will ever sign, in wei per gas; bumps stop there. Default 500 gwei.</summary>
    public BigInteger MaxFeePerGasCap { get; set; } = 500_000_000_000;

    /// <summary>The clock for timestamps and timeouts.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Confirmations < 0)
        {
            throw new ArgumentException($"Confirmations is {Confirmations}; use 0 or more blocks.", nameof(Confirmations));
        }
        if (PollStart <= TimeSpan.Zero || PollMax < PollStart)
        {
            throw new ArgumentException($"Poll backoff {PollStart}..{PollMax} is invalid; PollStart must be positive and at most PollMax.", nameof(PollStart));
        }
        if (ReceiptTimeout <= TimeSpan.Zero || SendTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ReceiptTimeout and SendTimeout must be positive.", nameof(ReceiptTimeout));
        }
        if (FeeBumpPercent is < 0 or > 1000)
        {
            throw new ArgumentException($"FeeBumpPercent is {FeeBumpPercent}; use 0 (no bumps) or 10..1000.", nameof(FeeBumpPercent));
        }
        if (FallbackPriorityFeePerGas.Sign < 0 || MaxFeePerGasCap.Sign <= 0)
        {
            throw new ArgumentException("Fees must be non-negative and the fee cap positive.", nameof(MaxFeePerGasCap));
        }
    }
}
