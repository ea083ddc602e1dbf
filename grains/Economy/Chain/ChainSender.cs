using System.Collections.Immutable;
using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Nethereum.Model;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Util;

namespace OpenLedger.Economy.Chain;

/// <summary>
/// The settlement signer's transaction manager, built the way Chainlink's and Optimism's are so that a crash at any
/// step neither double-sends nor skips a nonce: each purpose owns one nonce; the raw transaction is signed offline
/// and persisted together with the advanced nonce before it is broadcast; a restart rebroadcasts the stored bytes;
/// receipts are polled with backoff, timeouts rebroadcast (and bump fees by re-signing the same nonce, keeping every
/// hash); an entry is final only under <see cref="ChainSenderOptions.Confirmations"/> blocks. One sender per key.
/// </summary>
public sealed class ChainSender
{
    private readonly ChainRpc _rpc;
    private readonly EthECKey _key;
    private readonly BigInteger _chainId;
    private readonly IOutboxStore _store;
    private readonly ChainSenderOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, OutboxEntry>? _entries;
    private BigInteger _nextNonce;

    /// <summary>Creates a sender for the key's account on the chain at <paramref name="rpcUrl"/>; nothing is read until the first call.</summary>
    public ChainSender(string rpcUrl, string privateKey, BigInteger chainId, IOutboxStore store, ChainSenderOptions? options = null)
    {
        _options = options ?? new ChainSenderOptions();
        _options.Validate();
        _rpc = new ChainRpc(rpcUrl);
        _key = new EthECKey(privateKey);
        _chainId = chainId;
        _store = store;
        Address = _key.GetPublicAddress();
    }

    /// <summary>The signing account.</summary>
    public string Address { get; }

    /// <summary>
    /// Sends the call for <paramref name="purpose"/> and waits until it is Confirmed or Reverted. Idempotent: when
    /// the purpose already has an entry, that entry is resumed (or returned, when final) and nothing new is signed.
    /// A revert is final and returned as such, never retried.
    /// </summary>
    /// <exception cref="PurposeConflictException">The purpose is already signed for a different call.</exception>
    /// <exception cref="ChainSendTimeoutException">Not final within the send timeout; a later call resumes it.</exception>
    public async Task<OutboxEntry> SendAsync(string purpose, string to, string data, BigInteger value, BigInteger gasLimit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        to = NormalizeHex(to, nameof(to));
        data = string.IsNullOrEmpty(data) ? "0x" : NormalizeHex(data, nameof(data));
        Wei.Require(value, nameof(value));
        if (gasLimit < 21_000)
        {
            throw new ArgumentOutOfRangeException(nameof(gasLimit), gasLimit, "A transaction needs at least 21000 gas.");
        }

        var entry = await SignOnceAsync(purpose, to, data, value, gasLimit, cancellationToken);
        return await DriveAsync(entry, cancellationToken);
    }

    /// <summary>
    /// Resumes every entry that is not final, after a restart: the stored raw transactions are rebroadcast in nonce
    /// order unless a receipt already exists for one of their hashes, then each is driven to Confirmed or Reverted.
    /// Returns the entries as they ended.
    /// </summary>
    public async Task<IReadOnlyList<OutboxEntry>> RecoverAsync(CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        List<OutboxEntry> open;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            open = [.. _entries!.Values.Where(e => !e.IsFinal).OrderBy(e => e.Nonce)];
        }
        finally
        {
            _gate.Release();
        }

        // Broadcast all first (the node may have lost its pool), lowest nonce first, so a later nonce never waits
        // behind a gap; an entry with a receipt for any of its hashes is not sent again.
        for (var i = 0; i < open.Count; i++)
        {
            if (open[i].Stage != OutboxStage.Mined)
            {
                open[i] = await BroadcastAsync(open[i], cancellationToken);
            }
        }
        var ended = new List<OutboxEntry>(open.Count);
        foreach (var entry in open)
        {
            ended.Add(await DriveAsync(entry, cancellationToken));
        }
        return ended;
    }

    /// <summary>The stored entry for <paramref name="purpose"/>, or null.</summary>
    public async Task<OutboxEntry?> FindAsync(string purpose, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _entries!.GetValueOrDefault(purpose);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_entries is not null)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_entries is not null)
            {
                return;
            }
            var snapshot = await _store.LoadAsync(cancellationToken);
            var chainNonce = await _rpc.PendingNonceAsync(Address);
            var storedNext = snapshot.NextNonce ?? BigInteger.Zero;
            if (snapshot.Entries.Count > 0)
            {
                storedNext = BigInteger.Max(storedNext, snapshot.Entries.Max(e => e.Nonce) + 1);
            }
            // The store's nonce may be ahead of the chain (signed entries not yet, or no longer, in the pool: they are
            // rebroadcast in order); the chain may be ahead of the store only if something else signed with this key.
            // Either way the next nonce is the larger, so no nonce the chain has seen is ever reused.
            _nextNonce = BigInteger.Max(storedNext, chainNonce);
            _entries = snapshot.Entries.ToDictionary(e => e.Purpose);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OutboxEntry> SignOnceAsync(string purpose, string to, string data, BigInteger value, BigInteger gasLimit, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_entries!.TryGetValue(purpose, out var existing))
            {
                if (existing.To != to || existing.Data != data || existing.Value != value || existing.GasLimit != gasLimit)
                {
                    throw new PurposeConflictException(existing, to, data, value);
                }
                return existing;
            }
            var fees = await SuggestFeesAsync();
            var now = _options.Time.GetUtcNow();
            var (raw, hash) = Sign(_nextNonce, to, data, value, gasLimit, fees);
            var entry = new OutboxEntry(purpose, _nextNonce, to, data, value, gasLimit, fees.MaxFeePerGas, fees.MaxPriorityFeePerGas,
                raw, hash, [], OutboxStage.Signed, 0, now, now);
            // The nonce advances in the same atomic write that records the bytes owning it, before anything is sent.
            await SaveOrForgetAsync(entry, _nextNonce + 1, cancellationToken);
            _entries[purpose] = entry;
            _nextNonce++;
            return entry;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OutboxEntry> DriveAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var started = _options.Time.GetUtcNow();
        var deadline = started + _options.SendTimeout;
        while (!entry.IsFinal)
        {
            entry = entry.Stage switch
            {
                OutboxStage.Signed => await BroadcastAsync(entry, cancellationToken),
                OutboxStage.Broadcast => await AwaitReceiptAsync(entry, deadline, cancellationToken),
                _ => await AwaitDepthAsync(entry, deadline, cancellationToken),
            };
            if (!entry.IsFinal && _options.Time.GetUtcNow() > deadline)
            {
                throw new ChainSendTimeoutException(entry, _options.Time.GetUtcNow() - started);
            }
        }
        return entry;
    }

    private async Task<OutboxEntry> BroadcastAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        // A crash can fall between the node accepting the bytes and our write saying so: ask the chain first.
        if (await FindReceiptAsync(entry) is { } mined)
        {
            return await SaveMinedAsync(entry, mined, cancellationToken);
        }
        try
        {
            await _rpc.SendRawAsync(entry.RawTransaction);
        }
        catch (RpcResponseException refused)
        {
            // "already known", "nonce too low", "underpriced" replacement: the answers differ by node, so the truth
            // is what the chain holds for our own hashes, not the wording.
            if (await FindReceiptAsync(entry) is null && !await KnownAnyAsync(entry))
            {
                var answer = refused.RpcError?.Message ?? refused.Message;
                if (answer.Contains("nonce", StringComparison.OrdinalIgnoreCase))
                {
                    throw new NonceConflictException(entry, answer);
                }
                throw new ChainSendException(entry.Purpose, $"The node refused purpose '{entry.Purpose}' (nonce {entry.Nonce}): {answer}", refused);
            }
        }
        return await SaveAsync(entry with { Stage = OutboxStage.Broadcast, Attempts = entry.Attempts + 1 }, cancellationToken);
    }

    private async Task<OutboxEntry> AwaitReceiptAsync(OutboxEntry entry, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var delay = _options.PollStart;
        var attemptStarted = _options.Time.GetUtcNow();
        while (true)
        {
            var found = await FindReceiptAsync(entry);
            if (found is { } mined)
            {
                return await SaveMinedAsync(entry, mined, cancellationToken);
            }
            var now = _options.Time.GetUtcNow();
            if (now > deadline)
            {
                return entry;
            }
            if (now - attemptStarted >= _options.ReceiptTimeout)
            {
                entry = await RetryAsync(entry, cancellationToken);
                attemptStarted = _options.Time.GetUtcNow();
                delay = _options.PollStart;
                continue;
            }
            await Task.Delay(delay, _options.Time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.PollMax.Ticks));
        }
    }

    private async Task<OutboxEntry> RetryAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var current = new Eip1559Fees(entry.MaxFeePerGas, entry.MaxPriorityFeePerGas);
        if (_options.FeeBumpPercent > 0 && entry.FeeBumps < _options.MaxFeeBumps && current.MaxFeePerGas < _options.MaxFeePerGasCap)
        {
            var bumped = current.Bump(_options.FeeBumpPercent, await SuggestFeesAsync(), _options.MaxFeePerGasCap);
            var (raw, hash) = Sign(entry.Nonce, entry.To, entry.Data, entry.Value, entry.GasLimit, bumped);
            // Same nonce, new bytes: persisted (keeping the old hash, which may still be the one mined) before sending.
            entry = await SaveAsync(entry with
            {
                MaxFeePerGas = bumped.MaxFeePerGas,
                MaxPriorityFeePerGas = bumped.MaxPriorityFeePerGas,
                RawTransaction = raw,
                TransactionHash = hash,
                EarlierHashes = entry.EarlierHashes.IsDefault ? [entry.TransactionHash] : entry.EarlierHashes.Add(entry.TransactionHash),
                FeeBumps = entry.FeeBumps + 1,
                Stage = OutboxStage.Signed,
            }, cancellationToken);
            return await BroadcastAsync(entry, cancellationToken);
        }
        // The same bytes again only help a node that dropped them; one that still holds them gains nothing (and
        // ganache 7 with a stopped miner even executes a duplicate it accepts again, paying twice).
        return await KnownAnyAsync(entry) ? entry : await BroadcastAsync(entry, cancellationToken);
    }

    private async Task<OutboxEntry> AwaitDepthAsync(OutboxEntry entry, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var delay = _options.PollStart;
        while (true)
        {
            var head = await _rpc.BlockNumberAsync();
            if (head >= entry.BlockNumber!.Value + _options.Confirmations)
            {
                var receipt = await _rpc.ReceiptAsync(entry.MinedHash!);
                if (receipt is null || receipt.BlockHash != entry.BlockHash)
                {
                    // Reorged out: back to waiting for a receipt; the pool (or a rebroadcast) still holds our bytes.
                    return await SaveAsync(entry with { Stage = OutboxStage.Broadcast, BlockNumber = null, BlockHash = null, MinedHash = null, ReceiptStatus = null, GasUsed = null }, cancellationToken);
                }
                var stage = entry.ReceiptStatus == 0 ? OutboxStage.Reverted : OutboxStage.Confirmed;
                return await SaveAsync(entry with { Stage = stage }, cancellationToken);
            }
            if (_options.Time.GetUtcNow() > deadline)
            {
                return entry;
            }
            await Task.Delay(delay, _options.Time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.PollMax.Ticks));
        }
    }

    private Task<OutboxEntry> SaveMinedAsync(OutboxEntry entry, (string Hash, TransactionReceipt Receipt) mined, CancellationToken cancellationToken) =>
        SaveAsync(entry with
        {
            Stage = OutboxStage.Mined,
            BlockNumber = mined.Receipt.BlockNumber.Value,
            BlockHash = mined.Receipt.BlockHash,
            MinedHash = mined.Hash,
            ReceiptStatus = (int)(mined.Receipt.Status?.Value ?? BigInteger.One),
            GasUsed = mined.Receipt.GasUsed is { } gas ? (long)gas.Value : null,
        }, cancellationToken);

    private async Task<(string Hash, TransactionReceipt Receipt)?> FindReceiptAsync(OutboxEntry entry)
    {
        foreach (var hash in entry.AllHashes)
        {
            if (await _rpc.ReceiptAsync(hash) is { BlockNumber: not null } receipt)
            {
                return (hash, receipt);
            }
        }
        return null;
    }

    private async Task<bool> KnownAnyAsync(OutboxEntry entry)
    {
        foreach (var hash in entry.AllHashes)
        {
            if (await _rpc.KnowsAsync(hash))
            {
                return true;
            }
        }
        return false;
    }

    // A failed write may still have landed (a storage timeout is ambiguous): what this instance holds in memory is
    // dropped, so the next call reloads the store's truth instead of handing out a nonce twice.
    private async Task SaveOrForgetAsync(OutboxEntry entry, BigInteger nextNonce, CancellationToken cancellationToken)
    {
        try
        {
            await _store.SaveAsync(entry, nextNonce, cancellationToken);
        }
        catch
        {
            _entries = null;
            throw;
        }
    }

    private async Task<OutboxEntry> SaveAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        entry = entry with { UpdatedAt = _options.Time.GetUtcNow() };
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await SaveOrForgetAsync(entry, _nextNonce, cancellationToken);
            _entries![entry.Purpose] = entry;
            return entry;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Eip1559Fees> SuggestFeesAsync()
    {
        var tip = await _rpc.PriorityFeeAsync(_options.FallbackPriorityFeePerGas);
        var baseFee = await _rpc.BaseFeeAsync();
        return Eip1559Fees.Suggest(baseFee, tip, _options.MaxFeePerGasCap);
    }

    private (string Raw, string Hash) Sign(BigInteger nonce, string to, string data, BigInteger value, BigInteger gasLimit, Eip1559Fees fees)
    {
        var transaction = new Transaction1559(_chainId, nonce, fees.MaxPriorityFeePerGas, fees.MaxFeePerGas, gasLimit, to, value, data, []);
        var raw = new Transaction1559Signer().SignTransaction(_key, transaction).EnsureHexPrefix();
        // A typed transaction's hash is keccak256 of its whole envelope (type byte + RLP), i.e. of the raw bytes.
        var hash = Sha3Keccack.Current.CalculateHash(raw.HexToByteArray()).ToHex(true);
        return (raw, hash);
    }

    private static string NormalizeHex(string hex, string name)
    {
        if (string.IsNullOrWhiteSpace(hex) || !hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length % 2 != 0
            || !hex.Skip(2).All(Uri.IsHexDigit))
        {
            throw new ArgumentException($"'{hex}' is not 0x-prefixed hex of whole bytes.", name);
        }
        return hex.ToLowerInvariant();
    }
}
