using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using OpenLedger.Cluster;
using OpenLedger.Grains.Economy;
using OpenLedger.Silo.Hosting;

namespace OpenLedger.Cluster.Tests.Deployment;

/// <summary>
/// The settings a silo reads from its environment (<c>OpenLedger__Section__Setting</c>), checked against the options
/// classes it binds: every class in the silo and grains assemblies with a <c>Section</c> constant under
/// <c>OpenLedger:</c>, walked the way the configuration binder walks them (lists by index, nested classes by property).
/// </summary>
public static class SiloSettings
{
    /// <summary>The prefix of every grid setting in an environment.</summary>
    public const string Prefix = "OpenLedger__";

    /// <summary>The silo's roles setting: comma-separated names of <see cref="GridRole"/>, empty for all.</summary>
    public const string Roles = "OpenLedger__Silo__Roles";

    /// <summary>The roles a silo can take.</summary>
    public static IReadOnlyList<string> RoleNames { get; } = [.. GridRoles.All.Select(r => r.ToString())];

    /// <summary>Options classes by their section (several may share one, as OpenLedger:Agents does).</summary>
    public static IReadOnlyDictionary<string, Type[]> Sections { get; } = FindSections();

    /// <summary>Whether <paramref name="name"/> is a grid setting (starts with <see cref="Prefix"/>).</summary>
    public static bool IsGridSetting(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Why <paramref name="name"/> set to <paramref name="value"/> would not configure a silo, or null when it would.
    /// A null value (one that comes from elsewhere: a secret, the pod's IP) is checked by name only.
    /// </summary>
    public static string? Problem(string name, string? value)
    {
        var segments = name.Split("__");
        if (segments.Length < 3 || segments.Any(s => s.Length == 0))
        {
            return $"{name} is not OpenLedger__Section__Setting.";
        }
        // GridSiloOptions.Roles is a string to the binder; the silo refuses names that are not roles at start.
        if (string.Equals(name, Roles, StringComparison.OrdinalIgnoreCase) && value is not null && ParseRoles(value) is null)
        {
            return $"{Roles}={value} names a role that does not exist; roles are {string.Join(", ", RoleNames)} (comma-separated, empty for all).";
        }
        var section = $"OpenLedger:{segments[1]}";
        if (!Sections.TryGetValue(section, out var types))
        {
            return $"{name}: no options class binds section {section} (known: {string.Join(", ", Sections.Keys.Order(StringComparer.Ordinal))}).";
        }
        var problems = types.Select(t => ClassProblem(name, t, segments.AsSpan(2).ToArray(), value)).ToList();
        return problems.Any(p => p is null) ? null : string.Join(" ", problems.Distinct());
    }

    /// <summary>The roles a setting value names, as the silo reads them (empty: all), or null when a name is unknown.</summary>
    public static IReadOnlyList<string>? ParseRoles(string? value) =>
        SiloRoles.Unknown(value).Count > 0 ? null : [.. SiloRoles.Parse(value).Select(r => r.ToString())];

    private static string? ClassProblem(string name, Type type, string[] rest, string? value)
    {
        var property = type.GetProperty(rest[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.SetMethod is not { IsPublic: true })
        {
            var settable = type.GetProperties().Where(p => p.SetMethod is { IsPublic: true }).Select(p => p.Name);
            return $"{name}: {type.Name} has no settable property {rest[0]} (it has {string.Join(", ", settable)}).";
        }
        return ValueProblem(name, property.PropertyType, rest[1..], value);
    }

    private static string? ValueProblem(string name, Type type, string[] rest, string? value)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        var target = nullable ?? type;
        if (IsSingleValue(target))
        {
            if (rest.Length > 0)
            {
                return $"{name}: {target.Name} is a single value; it has no part {rest[0]}.";
            }
            return value is null || (nullable is not null && value.Length == 0) ? null : ConversionProblem(name, target, value);
        }
        if (rest.Length == 0)
        {
            return $"{name} names a group of settings ({target.Name}), not one setting.";
        }
        if (target.GetInterfaces().Append(target).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary)
        {
            return ValueProblem(name, dictionary.GetGenericArguments()[1], rest[1..], value);
        }
        if (ElementType(target) is { } element)
        {
            return int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? ValueProblem(name, element, rest[1..], value)
                : $"{name}: {target.Name} is a list; its items are numbered (__0, __1, ...), not {rest[0]}.";
        }
        return ClassProblem(name, target, rest, value);
    }

    private static string? ConversionProblem(string name, Type type, string value)
    {
        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out var parsed) && Enum.IsDefined(type, parsed!) && !char.IsAsciiDigit(value.TrimStart('-')[0])
                ? null
                : $"{name}={value} is not a {type.Name}; use one of {string.Join(", ", Enum.GetNames(type))}.";
        }
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return $"{name}={value} is not a {type.Name} ({ex.Message}).";
        }
    }

    private static bool IsSingleValue(Type type) =>
        type == typeof(string) || (type != typeof(object) && !typeof(IEnumerable).IsAssignableFrom(type)
            && TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string)));

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Dictionary<string, Type[]> FindSections() =>
        new[] { typeof(GridSiloOptions).Assembly, typeof(EconomyOptions).Assembly }
            .SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(p => p.Section is { IsLiteral: true } && p.Section.GetRawConstantValue() is string s && s.StartsWith("OpenLedger:", StringComparison.Ordinal))
            .GroupBy(p => (string)p.Section!.GetRawConstantValue()!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Type).ToArray(), StringComparer.OrdinalIgnoreCase);
}
