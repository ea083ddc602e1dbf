using OpenLedger.Economy;
using System.Numerics;
using System.Text.Json.Serialization;

namespace OpenLedger.Client.Chain;

/// <summary>An account's OPEN, its wrapped gOPEN, whom it delegates to and the votes delegated to it.</summary>
/// <param name="Account">The account.</param>
/// <param name="Open">OPEN held (wei), not wrapped.</param>
/// <param name="Wrapped">gOPEN held (wei): OPEN wrapped 1:1.</param>
/// <param name="Delegate">Whom its gOPEN votes go to; null until it delegates (undelegated gOPEN does not vote, not even for its holder).</param>
/// <param name="Votes">gOPEN votes delegated to it now, by itself and others (wei).</param>
public sealed record VotingPower(
    string Account,
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger Open,
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger Wrapped,
    string? Delegate,
    [property: JsonConverter(typeof(WeiJsonConverter))] BigInteger Votes);
