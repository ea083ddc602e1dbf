namespace OpenLedger.Cluster.Tests.Deployment;

/// <summary>The reading of OpenLedger__ environment variables against the silo's options classes that the deployment checks rely on.</summary>
public sealed class SiloSettingsTests
{
    [Fact]
    public void Every_section_the_silo_binds_is_found_by_reflection()
    {
        foreach (var section in new[] { "Silo", "Economy", "Agents", "Serving", "Attribution", "Datanets", "FineTuning", "Dashboard" })
        {
            Assert.True(SiloSettings.Sections.ContainsKey($"OpenLedger:{section}"), section);
        }
        // The operator keys and the agent policy share a section, as the silo binds them.
        Assert.Equal(2, SiloSettings.Sections["OpenLedger:Agents"].Length);
    }

    [Theory]
    [InlineData("OpenLedger__Silo__Clustering", "Redis")]
    [InlineData("OpenLedger__Silo__ShutdownTimeout", "00:00:30")]
    [InlineData("OpenLedger__Silo__FlightPort", "")]
    [InlineData("OpenLedger__Agents__Keys__0", null)]
    [InlineData("OpenLedger__Agents__Accounts__1__Account", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc")]
    [InlineData("OpenLedger__Agents__RequestsPerSecond", "12.5")]
    [InlineData("OpenLedger__Dashboard__Enabled", "true")]
    [InlineData("OpenLedger__Silo__Roles", "Serving, Training")]
    [InlineData("OpenLedger__Silo__Roles", "")]
    public void A_setting_the_silo_reads_passes(string name, string? value) => Assert.Null(SiloSettings.Problem(name, value));

    [Theory]
    [InlineData("OpenLedger__Ledger__Shards", "8", "no options class binds section OpenLedger:Ledger")]
    [InlineData("OpenLedger__Economy__Enabled", "true", "EconomyOptions has no settable property Enabled")]
    [InlineData("OpenLedger__Silo__AdvertisedIp", "10.0.0.1", "GridSiloOptions has no settable property AdvertisedIp")]
    [InlineData("OpenLedger__Agents__Keys__first", "k", "its items are numbered")]
    [InlineData("OpenLedger__Agents__Accounts__0", "k", "names a group of settings")]
    [InlineData("OpenLedger__Silo__SiloPort__0", "1", "is a single value")]
    [InlineData("OpenLedger__Silo__SiloPort", "", "OpenLedger__Silo__SiloPort= is not a Int32")]
    [InlineData("OpenLedger__Silo__ShutdownTimeout", "30 seconds", "is not a TimeSpan")]
    [InlineData("OpenLedger__Silo__Clustering", "1", "is not a ClusteringKind; use one of AzureTable, Redis, Localhost")]
    [InlineData("OpenLedger__Silo__Roles", "Serving,Gpu", "names a role that does not exist")]
    [InlineData("OpenLedger__Silo", "x", "is not OpenLedger__Section__Setting")]
    public void A_setting_the_silo_would_not_read_is_named_with_what_is_wrong(string name, string value, string expected) =>
        Assert.Contains(expected, SiloSettings.Problem(name, value));
}
