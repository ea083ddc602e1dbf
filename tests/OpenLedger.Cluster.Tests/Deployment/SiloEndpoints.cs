using System.Text.RegularExpressions;

namespace OpenLedger.Cluster.Tests.Deployment;

/// <summary>
/// What a silo container serves, as deployments may rely on it: the health paths (asked of a real silo by
/// SiloProcessTests) and the ports the image sets (deploy/docker/silo.Dockerfile).
/// </summary>
public static partial class SiloEndpoints
{
    /// <summary>/health: ready (an active cluster member); /health/live: the process answers.</summary>
    public static readonly IReadOnlyList<string> ProbePaths = ["/health", "/health/live"];

    /// <summary>The silo's Dockerfile.</summary>
    public static string Dockerfile { get; } = Path.Combine(RepoPaths.Root, "deploy", "docker", "silo.Dockerfile");

    /// <summary>The environment the image sets (ENV lines, either form).</summary>
    public static IReadOnlyDictionary<string, string> ImageEnvironment()
    {
        var text = File.ReadAllText(Dockerfile).Replace("\\\n", " ", StringComparison.Ordinal);
        // Only the last stage is the image; earlier stages build it.
        var final = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        return EnvLine().Matches(final).SelectMany(m => EnvPair().Matches(m.Groups[1].Value))
            .ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value);
    }

    /// <summary>The ports the image exposes.</summary>
    public static IReadOnlyList<int> ExposedPorts()
    {
        var text = File.ReadAllText(Dockerfile);
        return [.. ExposeLine().Matches(text).SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse)];
    }

    /// <summary>The HTTP port in an ASP.NET Core URLs setting (http://+:8080), or null.</summary>
    public static int? HttpPort(string? urls) =>
        urls is not null && UrlPort().Match(urls) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;

    [GeneratedRegex(@"^ENV\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex EnvLine();

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"^EXPOSE\s+([\d ]+)$", RegexOptions.Multiline)]
    private static partial Regex ExposeLine();

    [GeneratedRegex(@"^http://[^/]*:(\d+)")]
    private static partial Regex UrlPort();
}
