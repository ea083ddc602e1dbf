using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;
using OpenLedger.Economy.Chain;
using OpenLedger.Testing;

namespace OpenLedger.Economy.Tests.Chain;

/// <summary>
/// The settlement signer's outbox against a real EVM node (ganache, one per test so nonces start at 0): each crash
/// point is a store that throws at a chosen save while the chain goes on; a fresh sender over the same store is the
/// restarted process. ETH transfers to fresh addresses make any double-send visible to the wei.
/// </summary>
public sealed class ChainSenderTests : IAsyncLifetime
{
    private static readonly BigInteger _payment = BigInteger.Parse("1234567890123456789");
    private static readonly BigInteger _transferGas = 21_000;

    private Ganache _chain = null!;
    private Web3 _web3 = null!;
    private string _from = null!;

    public async Task InitializeAsync()
    {
        _chain = await Ganache.StartAsync();
        _web3 = new Web3(_chain.RpcUrl);
        _from = new EthECKey(Ganache.FirstAccountKey).GetPublicAddress();
    }

    public async Task DisposeAsync() => await _chain.DisposeAsync();

    [Fact]
    public async Task A_send_confirms_only_under_the_configured_depth()
    {
        var store = new CrashingOutboxStore();
        var sender = Sender(store, confirmations: 3);
        var recipient = FreshAddress();

        var sending = sender.SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);
        await Eventually(() => store.Get("epoch-1")?.Stage == OutboxStage.Mined);
        await MineAsync(2);
        await Task.Delay(300);
        Assert.False(sending.IsCompleted, "confirmed with only 2 blocks on top");
        await MineAsync(1);
        var entry = await sending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(OutboxStage.Confirmed, entry.Stage);
        Assert.Equal(1, entry.ReceiptStatus);
        Assert.Equal(BigInteger.Zero, entry.Nonce);
        Assert.True(await HeadAsync() >= entry.BlockNumber + 3);
        Assert.Equal(entry.TransactionHash, entry.MinedHash);
        Assert.Equal(_payment, await BalanceAsync(recipient));
        Assert.Equal(1, entry.Attempts);
    }

    [Fact]
    public async Task The_same_purpose_sent_twice_pays_once_even_from_a_restarted_sender()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();

        var first = await Sender(store).SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);
        var again = await Sender(store).SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);
        var sameSender = Sender(store);
        await sameSender.SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);
        var third = await sameSender.SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);

        Assert.Equal(first, again);
        Assert.Equal(first, third);
        Assert.Equal(_payment, await BalanceAsync(recipient));
        Assert.Equal(BigInteger.One, await ChainNonceAsync());
        await Assert.ThrowsAsync<PurposeConflictException>(() => Sender(store).SendAsync("epoch-1", recipient, "0x", _payment + 1, _transferGas));
    }

    [Fact]
    public async Task A_crash_after_signing_before_broadcast_recovers_by_sending_the_same_bytes_once()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();
        store.CrashAfterSaving(OutboxStage.Signed);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => Sender(store).SendAsync("epoch-1", recipient, "0x", _payment, _transferGas));
        var signed = store.Get("epoch-1")!;
        Assert.Equal(OutboxStage.Signed, signed.Stage);
        Assert.Equal(BigInteger.Zero, await ChainNonceAsync());
        Assert.Equal(BigInteger.Zero, await BalanceAsync(recipient));

        var ended = Assert.Single(await Sender(store).RecoverAsync());

        Assert.Equal(OutboxStage.Confirmed, ended.Stage);
        Assert.Equal(signed.RawTransaction, ended.RawTransaction);
        Assert.Equal(signed.TransactionHash, ended.MinedHash);
        Assert.Equal(signed.Nonce, ended.Nonce);
        var mined = await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(signed.TransactionHash);
        Assert.Equal(signed.Nonce, mined.Nonce.Value);
        Assert.Equal(_payment, await BalanceAsync(recipient));
        Assert.Equal(BigInteger.One, await ChainNonceAsync());
    }

    [Fact]
    public async Task A_crash_after_broadcast_before_its_write_finds_the_receipt_instead_of_resending()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();
        store.CrashBeforeSaving(OutboxStage.Broadcast);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => Sender(store).SendAsync("epoch-1", recipient, "0x", _payment, _transferGas));
        Assert.Equal(OutboxStage.Signed, store.Get("epoch-1")!.Stage);
        Assert.Equal(_payment, await BalanceAsync(recipient));

        var ended = Assert.Single(await Sender(store).RecoverAsync());
        // A second send of the purpose after recovery is a no-op as well.
        var again = await Sender(store).SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);

        Assert.Equal(OutboxStage.Confirmed, ended.Stage);
        Assert.Equal(ended, again);
        Assert.Equal(0, ended.Attempts);
        Assert.Equal(_payment, await BalanceAsync(recipient));
        Assert.Equal(BigInteger.One, await ChainNonceAsync());
    }

    [Fact]
    public async Task A_crash_after_broadcast_before_the_receipt_recovers_without_sending_again()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();
        store.CrashAfterSaving(OutboxStage.Broadcast);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => Sender(store).SendAsync("epoch-1", recipient, "0x", _payment, _transferGas));
        var broadcast = store.Get("epoch-1")!;
        Assert.Equal(OutboxStage.Broadcast, broadcast.Stage);

        var ended = Assert.Single(await Sender(store).RecoverAsync());

        Assert.Equal(OutboxStage.Confirmed, ended.Stage);
        Assert.Equal(broadcast.TransactionHash, ended.MinedHash);
        Assert.Equal(1, ended.Attempts);
        Assert.Equal(_payment, await BalanceAsync(recipient));
        Assert.Equal(BigInteger.One, await ChainNonceAsync());
    }

    [Fact]
    public async Task A_crash_after_the_receipt_only_waits_for_the_depth()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();
        store.CrashAfterSaving(OutboxStage.Mined);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => Sender(store, confirmations: 2).SendAsync("epoch-1", recipient, "0x", _payment, _transferGas));
        var mined = store.Get("epoch-1")!;
        Assert.Equal(OutboxStage.Mined, mined.Stage);
        var savesBefore = store.Saves.Count;

        var recovering = Sender(store, confirmations: 2).RecoverAsync();
        await MineWhileAsync(recovering);
        var ended = Assert.Single(await recovering);

        Assert.Equal(OutboxStage.Confirmed, ended.Stage);
        Assert.Equal(mined.MinedHash, ended.MinedHash);
        Assert.Equal(1, ended.Attempts);
        Assert.Equal([OutboxStage.Confirmed], store.Saves.Skip(savesBefore).Select(e => e.Stage));
        Assert.True(await HeadAsync() >= ended.BlockNumber + 2);
        Assert.Equal(_payment, await BalanceAsync(recipient));
        Assert.Equal(BigInteger.One, await ChainNonceAsync());
    }

    [Fact]
    public async Task Purposes_in_sequence_get_gapless_nonces_across_crashes()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();
        var sender = Sender(store);
        await sender.SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);
        await sender.SendAsync("epoch-2", recipient, "0x", _payment, _transferGas);
        // epoch-3 dies with its write lost: its nonce was never handed out, so the next purpose may take it.
        store.CrashBeforeSaving(OutboxStage.Signed);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => sender.SendAsync("epoch-3", recipient, "0x", _payment, _transferGas));
        Assert.Null(store.Get("epoch-3"));

        var restarted = Sender(store);
        store.CrashAfterSaving(OutboxStage.Signed);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => restarted.SendAsync("epoch-3", recipient, "0x", _payment, _transferGas));

        var recovered = Sender(store);
        Assert.Single(await recovered.RecoverAsync());
        await recovered.SendAsync("epoch-4", recipient, "0x", _payment, _transferGas);
        await Sender(store).SendAsync("epoch-5", recipient, "0x", _payment, _transferGas);

        var nonces = new[] { "epoch-1", "epoch-2", "epoch-3", "epoch-4", "epoch-5" }.Select(p => store.Get(p)!).ToList();
        Assert.All(nonces, e => Assert.Equal(OutboxStage.Confirmed, e.Stage));
        Assert.Equal([0, 1, 2, 3, 4], nonces.Select(e => (int)e.Nonce));
        Assert.Equal(new BigInteger(5), await ChainNonceAsync());
        Assert.Equal(_payment * 5, await BalanceAsync(recipient));
    }

    [Fact]
    public async Task A_nonce_used_by_another_signer_is_skipped_not_reused()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();
        await Sender(store).SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);
        // Someone else signs with the key (nonce 1) behind the outbox's back.
        var outsider = new Web3(new Nethereum.Web3.Accounts.Account(Ganache.FirstAccountKey, Ganache.ChainId), _chain.RpcUrl);
        await outsider.Eth.GetEtherTransferService().TransferEtherAndWaitForReceiptAsync(FreshAddress(), 0.5m);

        var entry = await Sender(store).SendAsync("epoch-2", recipient, "0x", _payment, _transferGas);

        Assert.Equal(new BigInteger(2), entry.Nonce);
        Assert.Equal(OutboxStage.Confirmed, entry.Stage);
        Assert.Equal(_payment * 2, await BalanceAsync(recipient));
    }

    [Fact]
    public async Task A_reverting_call_ends_reverted_and_is_never_retried()
    {
        var target = await DeployAlwaysRevertingAsync();
        var store = new CrashingOutboxStore();

        var entry = await Sender(store, confirmations: 0).SendAsync("epoch-1", target, "0x12345678", BigInteger.Zero, 100_000);
        var nonceAfter = await ChainNonceAsync();
        var again = await Sender(store, confirmations: 0).SendAsync("epoch-1", target, "0x12345678", BigInteger.Zero, 100_000);
        var recovered = await Sender(store, confirmations: 0).RecoverAsync();

        Assert.Equal(OutboxStage.Reverted, entry.Stage);
        Assert.Equal(0, entry.ReceiptStatus);
        Assert.Equal(1, entry.Attempts);
        Assert.Equal(entry, again);
        Assert.Empty(recovered);
        Assert.Equal(nonceAfter, await ChainNonceAsync());
        Assert.Equal(OutboxStage.Reverted, store.Saves[^1].Stage);
    }

    [Fact]
    public async Task A_receipt_timeout_re_signs_the_same_nonce_with_bumped_fees_and_confirms()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();
        await RpcAsync("miner_stop");
        var sender = Sender(store, confirmations: 0, receiptTimeout: TimeSpan.FromMilliseconds(300), feeBumpPercent: 20);

        var sending = sender.SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);
        await Eventually(() => store.Get("epoch-1") is { FeeBumps: >= 1, Stage: OutboxStage.Broadcast });
        var bumped = store.Get("epoch-1")!;
        await RpcAsync("miner_start");
        await MineWhileAsync(sending);
        var entry = await sending;

        Assert.Equal(OutboxStage.Confirmed, entry.Stage);
        Assert.Contains(bumped.EarlierHashes[0], entry.EarlierHashes);
        Assert.NotEqual(bumped.EarlierHashes[0], bumped.TransactionHash);
        Assert.Contains(entry.MinedHash, entry.AllHashes);
        Assert.True(bumped.MaxFeePerGas * 100 >= store.Saves[0].MaxFeePerGas * 120);
        Assert.True(entry.Attempts >= 2);
        Assert.Equal(BigInteger.Zero, entry.Nonce);
        foreach (var hash in entry.AllHashes)
        {
            var signed = await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(hash);
            Assert.Equal(BigInteger.Zero, signed.Nonce.Value);
        }
        // No balance check here: ganache 7 with a stopped miner executes both signatures of nonce 0 once mining
        // resumes (a node defect; geth and op-geth replace). The nonce is what makes a replacement exclusive.
    }

    [Fact]
    public async Task A_receipt_timeout_without_fee_bumps_does_not_resend_bytes_the_node_still_holds()
    {
        var store = new CrashingOutboxStore();
        var recipient = FreshAddress();
        await RpcAsync("miner_stop");
        var sender = Sender(store, confirmations: 0, receiptTimeout: TimeSpan.FromMilliseconds(100), feeBumpPercent: 0);

        var sending = sender.SendAsync("epoch-1", recipient, "0x", _payment, _transferGas);
        await Eventually(() => store.Get("epoch-1")?.Stage == OutboxStage.Broadcast);
        await Task.Delay(500);
        await RpcAsync("miner_start");
        await MineWhileAsync(sending);
        var entry = await sending;

        Assert.Equal(OutboxStage.Confirmed, entry.Stage);
        Assert.Equal(1, entry.Attempts);
        Assert.True(entry.EarlierHashes.IsDefaultOrEmpty);
        Assert.Equal(entry.TransactionHash, entry.MinedHash);
        Assert.Equal(BigInteger.One, await ChainNonceAsync());
        Assert.Equal(_payment, await BalanceAsync(recipient));
    }

    private ChainSender Sender(IOutboxStore store, int confirmations = 0, TimeSpan? receiptTimeout = null, int feeBumpPercent = 15) =>
        new(_chain.RpcUrl, Ganache.FirstAccountKey, Ganache.ChainId, store, new ChainSenderOptions
        {
            Confirmations = confirmations,
            PollStart = TimeSpan.FromMilliseconds(10),
            PollMax = TimeSpan.FromMilliseconds(100),
            ReceiptTimeout = receiptTimeout ?? TimeSpan.FromSeconds(10),
            SendTimeout = TimeSpan.FromSeconds(30),
            FeeBumpPercent = feeBumpPercent,
        });

    private static string FreshAddress() => EthECKey.GenerateKey().GetPublicAddress();

    private async Task<BigInteger> BalanceAsync(string address) => (await _web3.Eth.GetBalance.SendRequestAsync(address)).Value;

    private async Task<BigInteger> ChainNonceAsync() =>
        (await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(_from, BlockParameter.CreatePending())).Value;

    private async Task<BigInteger> HeadAsync() => (await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

    private Task RpcAsync(string method) => _web3.Client.SendRequestAsync<object>(method);

    private async Task MineAsync(int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            await RpcAsync("evm_mine");
        }
    }

    /// <summary>Adds a block every few milliseconds until <paramref name="work"/> ends, so confirmation depths are reached.</summary>
    private async Task MineWhileAsync(Task work)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!work.IsCompleted && DateTime.UtcNow < deadline)
        {
            await RpcAsync("evm_mine");
            await Task.WhenAny(work, Task.Delay(30));
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 15 s");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Deploys a contract whose code is PUSH1 0 PUSH1 0 REVERT: every call to it reverts on-chain. The init code
    /// stores those five bytes in memory and returns them. Deployed from ganache's second (unlocked) account.
    /// </summary>
    private async Task<string> DeployAlwaysRevertingAsync()
    {
        var accounts = await _web3.Eth.Accounts.SendRequestAsync();
        var hash = await _web3.Eth.Transactions.SendTransaction.SendRequestAsync(new TransactionInput
        {
            From = accounts[1],
            Data = "0x6460006000fd6000526005601bf3",
            Gas = new HexBigInteger(100_000),
        });
        var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash);
        Assert.Equal(BigInteger.One, receipt.Status.Value);
        Assert.Equal("0x60006000fd", await _web3.Eth.GetCode.SendRequestAsync(receipt.ContractAddress));
        return receipt.ContractAddress;
    }
}
