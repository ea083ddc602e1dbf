using OpenLedger.Cluster;
using Orleans.Metadata;

namespace OpenLedger.Grains.Hosting;

/// <summary>
/// Puts a grain class in a <see cref="GridRole"/>: silos configured without that role leave the class out of their
/// manifest, so Orleans places its activations only on silos that hold the role. The role is also published as a grain
/// property, which is how clients tell which roles each silo serves.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class HostedByAttribute(GridRole role) : Attribute, IGrainPropertiesProviderAttribute
{
    /// <summary>The role whose silos host this grain class.</summary>
    public GridRole Role { get; } = role;

    /// <inheritdoc />
    public void Populate(IServiceProvider services, Type grainClass, GrainType grainType, Dictionary<string, string> properties) =>
        properties[GridRoles.GrainProperty] = Role.ToString();
}
