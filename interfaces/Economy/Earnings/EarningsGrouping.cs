namespace OpenLedger.Economy;

/// <summary>What earnings can be totalled by, besides the account that received them.</summary>
[GenerateSerializer, Alias("OpenLedger.EarningsGrouping")]
public enum EarningsGrouping
{
    /// <summary>The wei data contributors earned in a Datanet.</summary>
    Datanet,

    /// <summary>The fees of the inferences a published model served.</summary>
    Model,

    /// <summary>The fees of the inferences an adapter served.</summary>
    Adapter,

    /// <summary>The fees an agent paid.</summary>
    Agent,
}
