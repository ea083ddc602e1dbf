using OpenLedger.Serving;

namespace OpenLedger.Client.OpenAi;

/// <summary>
/// A model the API serves: a base model, or an adapter on <see cref="BaseModel"/> with its <see cref="Residency"/>
/// and the silo holding it (null where the server does not say, or names a residency this client does not know).
/// </summary>
public sealed record OpenAiModel(string Id, DateTimeOffset Created, string OwnedBy, string? BaseModel, AdapterResidency? Residency, string? Silo);
