using OpenLedger.Client;
using OpenLedger.Client.Chain;

namespace OpenLedger.SampleAgent;

/// <summary>
/// The sample's command line: <c>[--url URL] [--private-key 0x…] [--gateway]</c>. With <c>--gateway</c> the agent
/// registers its key over HTTP, then makes its calls through the cluster's Orleans gateway (found as
/// <c>OPENLEDGER_*</c> variables say, as `./openledger` sets them).
/// </summary>
internal sealed record SampleAgentArguments(Uri Url, string PrivateKey, bool Gateway = false)
{
    public const string Usage = "usage: dotnet run --project clients/SampleAgent -- [--url http://127.0.0.1:8080] [--private-key 0x…] [--gateway]";

    /// <summary>The arguments, or null with a reason when they cannot be read.</summary>
    public static (SampleAgentArguments? Arguments, string? Error) Parse(IReadOnlyList<string> args)
    {
        var url = OpenAiHttpClient.DefaultUrl;
        // The local chain's agent account is funded and staked by `./openledger up`, so the sample works out of the box.
        var privateKey = DevelopmentMnemonic.PrivateKey(DevelopmentMnemonic.AgentIndex);
        var gateway = false;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--url" when value is not null:
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed))
                    {
                        return (null, $"--url '{value}' is not an absolute URL such as {OpenAiHttpClient.DefaultUrl}.");
                    }
                    url = parsed;
                    i++;
                    break;
                case "--private-key" when value is not null:
                    privateKey = value;
                    i++;
                    break;
                case "--gateway":
                    gateway = true;
                    break;
                default:
                    return (null, $"unknown or incomplete argument '{args[i]}'.");
            }
        }
        return (new SampleAgentArguments(url, privateKey, gateway), null);
    }
}
