using OpenLedger.Silo.Hosting;

namespace OpenLedger.Cluster.Tests.Earnings;

public class FlightSettingsTests
{
    [Theory]
    [InlineData(null, "127.0.0.1", null)]
    [InlineData(0, "127.0.0.1", null)]
    [InlineData(8815, "0.0.0.0", null)]
    [InlineData(-1, "127.0.0.1", "OpenLedger:Silo:FlightPort must be 0 (pick a free port) or a port between 1 and 65535 other than SiloPort and GatewayPort; got -1.")]
    [InlineData(65536, "127.0.0.1", "OpenLedger:Silo:FlightPort must be 0")]
    [InlineData(11111, "127.0.0.1", "OpenLedger:Silo:FlightPort must be 0")]
    [InlineData(30000, "127.0.0.1", "OpenLedger:Silo:FlightPort must be 0")]
    [InlineData(8815, "localhost", "OpenLedger:Silo:FlightAddress must be an IP address; got 'localhost'.")]
    public void The_flight_port_is_off_by_default_and_a_bad_port_or_address_is_refused_by_name(int? port, string address, string? failure)
    {
        var options = new GridSiloOptions { StorageConnectionString = "UseDevelopmentStorage=true", RedisConnectionString = "127.0.0.1:6379", FlightPort = port, FlightAddress = address };

        var result = new GridSiloOptionsValidator().Validate(null, options);

        if (failure is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(result.Failures!, f => f.StartsWith(failure, StringComparison.Ordinal));
        }
    }
}
