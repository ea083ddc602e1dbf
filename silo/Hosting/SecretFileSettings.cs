namespace OpenLedger.Silo.Hosting;

/// <summary>
/// Settings whose secret may come from a file instead (<c>XFile</c> beside <c>X</c>): the file's text becomes the value
/// of <c>X</c> before anything reads the configuration, so every reader sees one value whichever way it came.
/// </summary>
public static class SecretFileSettings
{
    // Each secret and its file setting; the economy's keystore and the agents' keys have their own readers.
    private static readonly string[] _secrets =
    [
        $"{GridSiloOptions.Section}:{nameof(GridSiloOptions.StorageConnectionString)}",
        $"{GridSiloOptions.Section}:{nameof(GridSiloOptions.RedisConnectionString)}",
    ];

    /// <summary>Reads each configured secret file into its setting; refuses both at once, or a file that is not there.</summary>
    public static WebApplicationBuilder AddSecretFiles(this WebApplicationBuilder builder)
    {
        var values = new Dictionary<string, string?>();
        foreach (var key in _secrets)
        {
            if (builder.Configuration[key + "File"] is not { Length: > 0 } file)
            {
                continue;
            }
            if (!string.IsNullOrEmpty(builder.Configuration[key]))
            {
                throw new InvalidOperationException($"Set {key} or {key}File, not both.");
            }
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{key}File '{file}' does not exist.", file);
            }
            values[key] = File.ReadAllText(file).Trim();
        }
        if (values.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(values);
        }
        return builder;
    }
}
