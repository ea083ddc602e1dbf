using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Client.Chain;

namespace OpenLedger.Cluster.Tests.Security;

/// <summary>
/// Secrets come from configuration or files, never the repository: every tracked file is scanned for private keys,
/// mnemonics, API tokens and storage account keys. The only secrets allowed are the published development ones (the
/// local chain's `test ... junk` mnemonic and the keys derived from it, Azurite's well-known account key), and only in
/// the places that run the local stack or tests. appsettings files hold no secret values at all.
/// </summary>
public sealed partial class RepoSecretsTests
{
    private const string DevelopmentPhrase = "test test test test test test test test test test test junk";
    private const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // Where the development values may appear: the tests, the local stack's launcher and scripts, and the SDK's
    // helper that derives the local chain's keys (its doc says it is for the local chain only).
    private static readonly Regex _developmentPlaces = DevelopmentPlaces();

    private static readonly HashSet<string> _developmentKeys =
        [.. Enumerable.Range(0, 50).Select(i => DevelopmentMnemonic.PrivateKey(i)[2..].ToLowerInvariant())];

    [Fact]
    public void Tracked_files_hold_no_secrets_but_the_published_development_ones_in_development_places()
    {
        var findings = new List<string>();
        var files = TrackedFiles();
        Assert.Contains("silo/Program.cs", files);
        foreach (var file in files)
        {
            var path = Path.Combine(RepoPaths.Root, file);
            if (!File.Exists(path) || new FileInfo(path).Length > 2_000_000 || IsBinary(path))
            {
                continue;
            }
            var text = File.ReadAllText(path);
            var development = _developmentPlaces.IsMatch(file);
            foreach (Match m in PemPrivateKey().Matches(text))
            {
                findings.Add($"{file}: a PEM private key");
            }
            foreach (Match m in ApiToken().Matches(text))
            {
                findings.Add($"{file}: an API token '{m.Value[..8]}…'");
            }
            foreach (Match m in AccountKey().Matches(text))
            {
                var value = m.Groups["key"].Value;
                if (!Base64Key().IsMatch(value))
                {
                    continue;   // filled in from a variable ($X, {X}) or a pattern, not a key written here
                }
                if (value != AzuriteAccountKey || !development)
                {
                    findings.Add($"{file}: a storage account key{(value == AzuriteAccountKey ? " (Azurite's, outside the development places)" : "")}");
                }
            }
            foreach (Match m in PrivateKeyHex().Matches(text))
            {
                var hex = m.Groups["hex"].Value.ToLowerInvariant();
                if (IsPlaceholder(hex))
                {
                    continue;
                }
                var known = _developmentKeys.Contains(hex);
                if (known && !development)
                {
                    findings.Add($"{file}: development key {hex[..6]}… outside the development places");
                }
                else if (!known && KeyContext().IsMatch(LineOf(text, m.Index)))
                {
                    findings.Add($"{file}: a private key {hex[..6]}… that is not a development key");
                }
            }
            foreach (Match m in Phrase().Matches(text))
            {
                if (m.Groups["words"].Value != DevelopmentPhrase || !development)
                {
                    findings.Add($"{file}: a mnemonic '{m.Groups["words"].Value.Split(' ')[0]} …'{(development ? "" : " outside the development places")}");
                }
            }
        }
        Assert.True(findings.Count == 0, "Secrets in tracked files:\n" + string.Join('\n', findings));
    }

    [Fact]
    public void The_scan_finds_what_it_looks_for()
    {
        // The patterns themselves, against made-up values, so a broken pattern cannot pass the scan above.
        Assert.Matches(PrivateKeyHex(), "privateKey = \"0x" + new string('7', 64) + "\"");
        Assert.Matches(KeyContext(), "var settlerKey = ");
        Assert.DoesNotMatch(KeyContext(), "private const string EmptySha256 = ");
        // Made-up values are assembled here, so this file itself holds none of the shapes it looks for.
        Assert.Matches(AccountKey(), "Account" + "Key=" + new string('A', 43) + new string('B', 43) + "==;");
        Assert.Matches(ApiToken(), "ghp_" + new string('a', 36));
        Assert.Matches(Phrase(), "mnemonic: \"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\"");
        Assert.Matches(PemPrivateKey(), "-----BEGIN EC " + "PRIVATE KEY-----");
        Assert.False(IsPlaceholder("5" + new string('0', 63)));
        Assert.True(IsPlaceholder(new string('a', 64)));
        Assert.Matches(_developmentPlaces, "tests/OpenLedger.Testing/Ganache.cs");
        Assert.DoesNotMatch(_developmentPlaces, "silo/appsettings.json");
    }

    [Fact]
    public void Appsettings_hold_no_secret_values()
    {
        var settings = TrackedFiles().Where(f => AppSettings().IsMatch(Path.GetFileName(f))).ToList();
        Assert.NotEmpty(settings);
        foreach (var file in settings)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, file)), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            foreach (var (name, value) in Leaves(document.RootElement, ""))
            {
                Assert.False(SecretSetting().IsMatch(name) && !name.EndsWith("File", StringComparison.Ordinal) && value.Length > 0,
                    $"{file}: {name} holds a value; secrets come from the environment, the command line or a file ({name}File).");
            }
        }
    }

    private static IEnumerable<(string Name, string Value)> Leaves(JsonElement element, string prefix) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Leaves(p.Value, prefix.Length == 0 ? p.Name : prefix + ":" + p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((e, i) => Leaves(e, $"{prefix}:{i}")),
        _ => [(prefix, element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText())],
    };

    private static List<string> TrackedFiles()
    {
        var info = new ProcessStartInfo("git", ["-C", RepoPaths.Root, "ls-files", "-z"]) { RedirectStandardOutput = true };
        using var git = Process.Start(info)!;
        var files = git.StandardOutput.ReadToEnd().Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return files;
    }

    // A run of one digit (0xaaaa…, as tests use for a value that must be refused) is no one's key.
    private static bool IsPlaceholder(string hex) => hex.Distinct().Count() == 1;

    private static bool IsBinary(string path)
    {
        Span<byte> head = stackalloc byte[4096];
        using var stream = File.OpenRead(path);
        return head[..stream.Read(head)].Contains((byte)0);
    }

    private static string LineOf(string text, int index)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var end = text.IndexOf('\n', index);
        return text[start..(end < 0 ? text.Length : end)];
    }

    [GeneratedRegex(@"^(tests/|deploy/|bench/|openledger$|\.ci/|clients/Sdk/Chain/DevelopmentMnemonic\.cs$)")]
    private static partial Regex DevelopmentPlaces();

    [GeneratedRegex(@"-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----")]
    private static partial Regex PemPrivateKey();

    // OpenAI, GitHub, Slack, AWS access key ids and Google API keys.
    [GeneratedRegex(@"\b(sk-[A-Za-z0-9]{32,}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{35})")]
    private static partial Regex ApiToken();

    [GeneratedRegex(@"AccountKey=(?<key>[^;""'\s]+)")]
    private static partial Regex AccountKey();

    [GeneratedRegex(@"^[A-Za-z0-9+/]{40,}={0,2}$")]
    private static partial Regex Base64Key();

    [GeneratedRegex(@"(?<![0-9a-fA-F])(0x)?(?<hex>[0-9a-fA-F]{64})(?![0-9a-fA-F])")]
    private static partial Regex PrivateKeyHex();

    // A 64-hex value is a hash far more often than a key; on a line that names a key or secret it is taken as a key.
    [GeneratedRegex(@"(?i)(private[_ ]?key|secret|key\b|key\s*[=:]|key""|keyhex|settlerkey|ownerkey|signingkey)")]
    private static partial Regex KeyContext();

    // Twelve to twenty-four lower-case words in quotes: a BIP-39 phrase's shape.
    [GeneratedRegex(@"[""'](?<words>([a-z]{3,8} ){11,23}[a-z]{3,8})[""']")]
    private static partial Regex Phrase();

    [GeneratedRegex(@"^appsettings.*\.json$")]
    private static partial Regex AppSettings();

    [GeneratedRegex(@"(?i)(key|secret|password|passphrase|token|mnemonic|connectionstring)")]
    private static partial Regex SecretSetting();
}
