using System.Reflection;
using OpenLedger.Models;

namespace OpenLedger.Cluster.Tests.Security;

/// <summary>
/// The grain methods a client of the Orleans gateway can call are those of the grain interfaces in
/// <c>interfaces/</c>. Each is listed here with what guards it, so a method added there without a decision fails this
/// test. Signature and credential checks are exercised against real clusters by the tests named in each group.
/// </summary>
public sealed class GrainSurfaceTests
{
    // Reads: nothing changes.
    private static readonly string[] _reads =
    [
        "IAgentGatewayGrain.ListModels", "IAgentGatewayGrain.Status", "IAgentGatewayGrain.Attribution", "IAgentGrain.Status",
        "IAttributionGrain.Get", "IContributorGrain.GetProfile", "IDatanetDirectoryGrain.List", "IDatanetGrain.GetInfo",
        "IDatanetGrain.ListContributions", "IDatanetGrain.GetSnapshot", "IDatanetGrain.GetMembershipProof",
        "IEarningsGrain.Account", "IEarningsGrain.History", "IEarningsGrain.Behind", "IEarningsGrain.Totals", "IEarningsGrain.Series",
        "IEarningsGrain.Epochs", "IEarningsGrain.TopContributors", "IEarningsGrain.Status", "IEarningsGrain.AccrualRows", "IEarningsGrain.AccountRows",
        "IAgentAccountGrain.Balance", "ILedgerShardGrain.Unposted", "ISettlementGrain.Epochs", "ISettlementGrain.ClaimOf", "ISettlementGrain.Unposted",
        "ISettlementGrain.Inclusion", "ISettlementGrain.Slashes", "IBaseModelGrain.GetInfo", "IModelDirectoryGrain.ListBaseModels",
        "IModelDirectoryGrain.ListModels", "IModelGrain.GetInfo", "ITrainingJobGrain.GetStatus", "IAdapterDirectoryGrain.BaseModelOf",
        "IAdapterDirectoryGrain.List", "IAdapterGrain.GetInfo",
    ];

    // Checked by a signature of the contributor, curator, owner or agent (ContributionErrorTests, ModelFactoryTests,
    // AgentTests), or by an agent credential (AgentGatewayTests).
    private static readonly string[] _signedOrKeyed =
    [
        "IDatanetGrain.Contribute", "IDatanetGrain.Curate", "IModelGrain.SetPrice", "ITrainingJobGrain.Start", "IAgentGrain.Register",
        "IAgentGrain.Admit", "IAgentGatewayGrain.Generate", "IAgentGatewayGrain.Revoke",
    ];

    // Unguarded state changes still on the gateway's surface: the gateway listens on loopback and is the operators'
    // channel (the SDK's GridClient is an operator's client). Each is a known gap, listed so it stays visible; moving
    // one behind a signature or into the grains takes it off this list.
    private static readonly string[] _operatorChannel =
    [
        "IAgentGrain.Challenge", "IAgentGrain.Finish", "IAgentGrain.DepositRefused", "IAgentGrain.Revoke", "IAgentGrain.SetLimits", "IAgentGrain.Slashed",
        "IAttributionGrain.Accept", "IAttributionGrain.Attribute", "IContributorGrain.RecordContribution", "IContributorGrain.RecordDecision",
        "IDatanetDirectoryGrain.Register", "IDatanetGrain.Create", "IDatanetGrain.Snapshot",
        "IAgentAccountGrain.Reserve", "IAgentAccountGrain.Commit", "IAgentAccountGrain.Release", "IAgentAccountGrain.Settled", "IAgentAccountGrain.SetBudget",
        "ILedgerShardGrain.Charge", "ILedgerShardGrain.ChargeAgain", "ILedgerShardGrain.Seal", "ILedgerShardGrain.Release",
        "ISettlementGrain.CloseEpoch", "ISettlementGrain.Resume", "ISettlementGrain.ProposeSlash",
        "IBaseModelGrain.BeginImport", "IBaseModelGrain.UploadChunk", "IBaseModelGrain.CompleteImport",
        "IModelDirectoryGrain.AddBaseModel", "IModelDirectoryGrain.AddModel", "ITrainingJobGrain.Cancel",
        "IAdapterDirectoryGrain.Add", "IAdapterDirectoryGrain.Remove",
        "IAdapterGrain.Deploy", "IAdapterGrain.Generate", "IAdapterGrain.SetPinned", "IAdapterGrain.Evict", "IAdapterGrain.Undeploy",
        "IBaseModelServingGrain.Generate",
    ];

    [Fact]
    public void Every_method_clients_can_call_has_a_recorded_guard()
    {
        var surface = typeof(IModelGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && t.Name.EndsWith("Grain", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet();
        var recorded = _reads.Concat(_signedOrKeyed).Concat(_operatorChannel).ToList();
        Assert.Equal(recorded.Count, recorded.Distinct().Count());
        var unrecorded = surface.Except(recorded).Order().ToList();
        Assert.True(unrecorded.Count == 0,
            "Grain methods clients can call through the gateway with no recorded guard (check a signature or credential, or move the method to an interface inside grains/): "
            + string.Join(", ", unrecorded));
        // A method gone from the surface is taken off the lists, so they say what is true.
        Assert.Empty(recorded.Except(surface));
    }

    [Fact]
    public void Publishing_a_model_is_not_on_the_gateways_surface()
    {
        // Reserving an id and recording provenance are the training job's alone.
        Assert.DoesNotContain(typeof(IModelGrain).GetMethods(), m => m.Name is "Publish" or "Reserve");
        Assert.NotEqual(typeof(IModelGrain).Assembly, typeof(OpenLedger.Grains.Models.IModelRegistration).Assembly);
    }
}
