using OpenLedger.Economy;
using System.Numerics;
using System.Text.Json.Serialization;

namespace OpenLedger.Client.Chain;

/// <summary>One call a proposal makes through the Timelock when executed.</summary>
/// <param name="Target">The contract called.</param>
/// <param name="Value">Ether sent with the call (wei).</param>
/// <param name="Calldata">The call's data, 0x-prefixed hex.</param>
public sealed record ProposalAction(string Target, [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger Value, string Calldata);
