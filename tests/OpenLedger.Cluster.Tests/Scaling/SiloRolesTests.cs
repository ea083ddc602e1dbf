using OpenLedger.Cluster;
using OpenLedger.Silo.Hosting;

namespace OpenLedger.Cluster.Tests.Scaling;

public class SiloRolesTests
{
    [Theory]
    [InlineData("", "AdapterGrain,AgentAccountGrain,AttributionGrain,AttributionShardGrain,EarningsGrain,LedgerShardGrain,SettlementGrain,TrainingJobGrain", "")]
    [InlineData("Serving,Training", "", "AgentAccountGrain,AttributionGrain,AttributionShardGrain,EarningsGrain,LedgerShardGrain,SettlementGrain")]
    [InlineData(" attribution , LEDGER ", "AgentAccountGrain,AttributionGrain,AttributionShardGrain,EarningsGrain,LedgerShardGrain,SettlementGrain", "AdapterGrain,TrainingJobGrain")]
    public void A_silo_leaves_out_exactly_the_grain_classes_of_the_roles_it_does_not_hold(string roles, string hostedOfRoles, string excluded)
    {
        var excludedNames = SiloRoles.ExcludedGrainClasses(SiloRoles.Parse(roles)).Select(t => t.Name).Order(StringComparer.Ordinal);

        Assert.Equal(excluded.Split(',', StringSplitOptions.RemoveEmptyEntries), excludedNames);
        // Grain classes of no role (Datanets, models, agents) are never left out.
        Assert.DoesNotContain("DatanetGrain", excludedNames);
        Assert.All(hostedOfRoles.Split(',', StringSplitOptions.RemoveEmptyEntries), name => Assert.DoesNotContain(name, excludedNames));
    }

    [Theory]
    [InlineData("Serving,Gpu", "'Gpu'")]
    [InlineData("1", "'1'")]
    [InlineData("ledger;serving", "'ledger;serving'")]
    public void Unknown_roles_are_refused_by_name_with_the_valid_ones_listed(string roles, string named)
    {
        var options = new GridSiloOptions { StorageConnectionString = "UseDevelopmentStorage=true", RedisConnectionString = "127.0.0.1:6379", Roles = roles };

        var result = new GridSiloOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"OpenLedger:Silo:Roles names unknown roles {named}", failure, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", GridRoles.All), failure, StringComparison.Ordinal);
    }
}
