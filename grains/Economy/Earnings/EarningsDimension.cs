namespace OpenLedger.Economy.Earnings;

/// <summary>What earnings can be totalled by, besides the account that received them.</summary>
public enum EarningsDimension
{
    /// <summary>The wei data contributors earned in a Datanet, and the inferences that paid it.</summary>
    Datanet,

    /// <summary>The fees of the inferences a published model served.</summary>
    Model,

    /// <summary>The fees of the inferences an adapter served.</summary>
    Adapter,

    /// <summary>The fees an agent paid.</summary>
    Agent,
}
