using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OpenLedger.Datanets.Snapshots;
using OpenLedger.Testing;

namespace OpenLedger.Datanets.Tests;

/// <summary>
/// The reference check for snapshot proofs: OpenZeppelin's own MerkleProof, compiled from Solidity with solc-js and
/// run on a real EVM node, must accept every proof the engine makes and compute the same leaves.
/// </summary>
public sealed class OnChainMembershipTests : IAsyncLifetime
{
    private Ganache _chain = null!;
    private Nethereum.Contracts.Contract _verifier = null!;

    public async Task InitializeAsync()
    {
        _chain = await Ganache.StartAsync();
        var artifacts = Directory.CreateTempSubdirectory("contracts").FullName;
        using (var compile = Process.Start(new ProcessStartInfo("node", [Path.Combine(RepoPaths.Root, "deploy", "scripts", "compile-contracts.js"), artifacts])
               { RedirectStandardError = true, RedirectStandardOutput = true })!)
        {
            await compile.WaitForExitAsync();
            Assert.True(compile.ExitCode == 0, await compile.StandardError.ReadToEndAsync());
        }
        using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(artifacts, "SnapshotMembershipVerifier.json")));
        var abi = artifact.RootElement.GetProperty("abi").GetRawText();
        var bytecode = artifact.RootElement.GetProperty("bytecode").GetString()!;
        var account = new Account(Ganache.FirstAccountKey, Ganache.ChainId);
        var web3 = new Web3(account, _chain.RpcUrl);
        var receipt = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(abi, bytecode, account.Address, new Nethereum.Hex.HexTypes.HexBigInteger(3_000_000));
        Assert.Equal(1, (int)receipt.Status.Value);
        _verifier = web3.Eth.GetContract(abi, receipt.ContractAddress);
    }

    public async Task DisposeAsync() => await _chain.DisposeAsync();

    [Fact]
    public async Task OpenZeppelin_MerkleProof_accepts_every_engine_proof_and_rejects_a_wrong_member()
    {
        var members = Enumerable.Range(0, 7).Select(i => (
            Payload: Keccak.Hash(BitConverter.GetBytes(i)),
            Contributor: Hex.Encode(Keccak.Hash(BitConverter.GetBytes(100 + i)).AsSpan(12)),
            Size: 1000L + i,
            Records: 3 + i)).ToList();
        var leaves = members.Select(m => SnapshotLeaf.Hash(m.Payload, m.Contributor, m.Size, m.Records)).ToList();
        var tree = new MerkleTree(leaves);

        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            var chainLeaf = await _verifier.GetFunction("leaf").CallAsync<byte[]>(m.Payload, m.Contributor, new BigInteger(m.Size), new BigInteger(m.Records));
            Assert.Equal(leaves[i], chainLeaf);
            var proof = tree.Proof(i).ToList();
            Assert.True(await _verifier.GetFunction("isMember").CallAsync<bool>(tree.Root, proof, m.Payload, m.Contributor, new BigInteger(m.Size), new BigInteger(m.Records)));
            Assert.False(await _verifier.GetFunction("isMember").CallAsync<bool>(tree.Root, proof, m.Payload, m.Contributor, new BigInteger(m.Size + 1), new BigInteger(m.Records)));
        }
    }
}
