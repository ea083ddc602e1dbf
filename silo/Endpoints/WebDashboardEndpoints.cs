using System.Reflection;
using System.Security.Cryptography;

namespace OpenLedger.Silo.Endpoints;

/// <summary>
/// The web dashboard: <c>/dashboard</c> (the grid at a glance), <c>/dashboard/chat</c> (talk to a served adapter and see
/// each answer's attribution and proof of inclusion) and <c>/dashboard/modelfactory</c> (fine-tune, watch the loss and
/// publish without code). The pages and their scripts are embedded in the silo, so it needs nothing from outside; the
/// content security policy holds the browser to this origin, and the pages read the JSON API with the key the user enters.
/// </summary>
public static class WebDashboardEndpoints
{
    private const string ResourcePrefix = "dashboard/";
    private const string SecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly Dictionary<string, string> _contentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, Asset>> _assets = new(Load);

    /// <summary>Maps the pages and their assets.</summary>
    public static WebApplication MapWebDashboard(this WebApplication app)
    {
        // Pages, not API: left out of the OpenAPI description.
        app.MapGet("/dashboard", (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/chat", (HttpContext http) => Serve(http, "chat.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/modelfactory", (HttpContext http) => Serve(http, "modelfactory.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/assets/{name}", (string name, HttpContext http) => Serve(http, "assets/" + name)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string name)
    {
        if (!_assets.Value.TryGetValue(name, out var asset))
        {
            return Results.NotFound();
        }
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = SecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidated on every load, so a new silo version is seen at once; unchanged files cost a 304.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        return http.Request.Headers.IfNoneMatch == asset.ETag
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Bytes, asset.ContentType);
    }

    // The embedded files are named dashboard/<path> by the project file; they are read once.
    private static IReadOnlyDictionary<string, Asset> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var type = _contentTypes.GetValueOrDefault(Path.GetExtension(resource), "application/octet-stream");
            assets[resource[ResourcePrefix.Length..]] = new Asset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        return assets;
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
