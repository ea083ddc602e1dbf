using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;

namespace OpenLedger.Client.Chain;

/// <summary>One compiled contract as `deploy/scripts/compile-contracts.js` writes it: its ABI and creation bytecode.</summary>
/// <param name="Name">The contract's name (the artifact file's stem).</param>
/// <param name="Abi">The ABI as JSON text.</param>
/// <param name="Bytecode">The creation bytecode, 0x-prefixed hex.</param>
public sealed record ContractArtifact(string Name, string Abi, string Bytecode)
{
    /// <summary>keccak256 of the creation bytecode, 0x-prefixed: tells whether a recorded deployment used this build.</summary>
    public string BytecodeHash { get; } = Sha3Keccack.Current.CalculateHash(Bytecode.HexToByteArray()).ToHex(true);
}
