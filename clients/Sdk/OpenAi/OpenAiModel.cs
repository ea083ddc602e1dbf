using System.Numerics;
using OpenLedger.Serving;

namespace OpenLedger.Client.OpenAi;

/// <summary>
/// A model the API serves: a base model, or an adapter on <see cref="BaseModel"/> with its <see cref="Residency"/>
/// and the silo holding it (null where the server does not say, or names a residency this client does not know), and
/// what an agent pays per thousand tokens, in wei (null where the grid sets no price or does not say).
/// </summary>
public sealed record OpenAiModel(string Id, DateTimeOffset Created, string OwnedBy, string? BaseModel, AdapterResidency? Residency, string? Silo,
    BigInteger? PricePer1kTokensWei = null);
