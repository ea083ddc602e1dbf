using System.Net;
using System.Text.Json;
using OpenLedger.Testing.Fuzzing;

namespace OpenLedger.Cluster.Tests.Fuzzing;

/// <summary>
/// How an HTTP answer to a fuzzed request is judged: a 2xx took it; a 4xx with the API's JSON error (a message and a
/// code) refused it, counted by status and code; anything else is a defect: a 5xx, a 4xx without a JSON error, or a
/// stream that ends in a server error.
/// </summary>
internal static class HttpVerdicts
{
    public static async Task<FuzzVerdict> JudgeAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        var body = await response.Content.ReadAsStringAsync(cancellation);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return body.Contains("\"server_error\"", StringComparison.Ordinal)
                ? throw new FuzzDefectException($"HTTP {status} carrying a server error: {Cut(body)}")
                : FuzzVerdict.Accept;
        }
        if (status is 414 or 431 && body.Length == 0)
        {
            // Kestrel answers a request line or headers past its limits itself, before any of the silo's code runs.
            return FuzzVerdict.Refuse($"{status} (Kestrel's limit, before the silo)", $"HTTP {status} {response.StatusCode} from the server's own request limits");
        }
        if (status is < 400 or >= 500)
        {
            throw new FuzzDefectException($"HTTP {status} {response.StatusCode}: {Cut(body)}");
        }
        try
        {
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            var code = error.GetProperty("code").GetString();
            return FuzzVerdict.Refuse($"{status} {code}", error.GetProperty("message").GetString());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FuzzDefectException($"HTTP {status} {response.StatusCode} without a JSON error naming the problem: '{Cut(body)}'");
        }
    }

    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
