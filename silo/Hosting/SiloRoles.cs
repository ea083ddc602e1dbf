using OpenLedger.Cluster;
using OpenLedger.Grains.Hosting;
using Orleans.Configuration;

namespace OpenLedger.Silo.Hosting;

/// <summary>Turns the configured roles of a silo into the grain classes it leaves out of its manifest.</summary>
public static class SiloRoles
{
    /// <summary>The roles in <paramref name="roles"/> (comma-separated, case-insensitive); every role when it is empty.</summary>
    public static IReadOnlySet<GridRole> Parse(string? roles)
    {
        var names = Names(roles);
        return names.Count == 0
            ? GridRoles.All.ToHashSet()
            : names.Select(n => Enum.Parse<GridRole>(n, ignoreCase: true)).ToHashSet();
    }

    /// <summary>The names in <paramref name="roles"/> that are not roles.</summary>
    public static IReadOnlyList<string> Unknown(string? roles) =>
        // By name only: Enum.TryParse would also take numbers ("1") and defined or not.
        Names(roles).Where(n => !Enum.GetNames<GridRole>().Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();

    /// <summary>The grain classes of roles outside <paramref name="hosted"/>.</summary>
    public static IReadOnlyList<Type> ExcludedGrainClasses(IReadOnlySet<GridRole> hosted) =>
        typeof(HostedByAttribute).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(HostedByAttribute), inherit: false) is [HostedByAttribute a] && !hosted.Contains(a.Role))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();

    /// <summary>Leaves the grain classes of roles this silo does not hold out of its manifest.</summary>
    public static ISiloBuilder AddOpenLedgerRoles(this ISiloBuilder silo, GridSiloOptions options)
    {
        var excluded = ExcludedGrainClasses(options.HostedRoles);
        // After Orleans has listed every grain class it found, so the removal sticks.
        silo.Services.PostConfigure<GrainTypeOptions>(types =>
        {
            foreach (var grainClass in excluded)
            {
                types.Classes.Remove(grainClass);
            }
        });
        return silo;
    }

    private static List<string> Names(string? roles) =>
        (roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
