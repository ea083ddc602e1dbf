using System.Text;
using System.Text.Json;
using OpenLedger.Datanets;

namespace OpenLedger.Cli.Demo;

/// <summary>Generated cybersecurity incident reports, deterministic from a seed, for the demo's contributors.</summary>
public static class IncidentReports
{
    /// <summary>The demo Datanet's record schema.</summary>
    public static RecordSchema Schema { get; } = new(
    [
        new FieldSpec("title", FieldType.Text, MaxLength: 160),
        new FieldSpec("category", FieldType.Text, MaxLength: 40),
        new FieldSpec("severity", FieldType.Integer),
        new FieldSpec("observed_at", FieldType.Timestamp),
        new FieldSpec("affected_hosts", FieldType.Integer),
        new FieldSpec("contained", FieldType.Boolean),
        new FieldSpec("summary", FieldType.Text, MaxLength: 2000),
        new FieldSpec("cve", FieldType.Text, Required: false, MaxLength: 20),
    ]);

    private static readonly (string Category, string[] Titles, string[] Details)[] _kinds =
    [
        ("phishing", ["Credential phishing against finance team", "OAuth consent phishing wave", "Invoice lure with HTML smuggling"],
            ["Users received a lookalike sign-in page hosted on a newly registered domain.", "Attackers requested mail.read scopes through a fake productivity app."]),
        ("ransomware", ["Ransomware staged through RMM tool", "Encryption of file shares over SMB", "Double-extortion note on backup server"],
            ["Operators disabled endpoint protection before mass encryption.", "Shadow copies were deleted with vssadmin before the payload ran."]),
        ("vulnerability", ["Exploitation of edge VPN appliance", "Deserialization flaw in internal portal", "Path traversal in file transfer server"],
            ["Web shells were dropped after pre-authentication exploitation.", "Outbound beacons to a VPS followed exploitation within hours."]),
        ("insider", ["Bulk download before resignation", "Misuse of privileged service account"],
            ["A departing employee synced a project repository to personal storage.", "A shared admin credential was used outside change windows."]),
    ];

    private static readonly string[] _cves = ["CVE-2024-3400", "CVE-2023-4966", "CVE-2024-21887", "CVE-2023-34362"];

    /// <summary>A JSON Lines payload of <paramref name="count"/> reports.</summary>
    public static byte[] Generate(int seed, int count)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var kind = _kinds[random.Next(_kinds.Length)];
            var record = new Dictionary<string, object>
            {
                ["title"] = kind.Titles[random.Next(kind.Titles.Length)],
                ["category"] = kind.Category,
                ["severity"] = 1 + random.Next(5),
                ["observed_at"] = new DateTimeOffset(2026, 1 + random.Next(10), 1 + random.Next(28), random.Next(24), random.Next(60), 0, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["affected_hosts"] = 1 + random.Next(400),
                ["contained"] = random.Next(3) > 0,
                ["summary"] = kind.Details[random.Next(kind.Details.Length)] + $" Ticket {seed:D3}-{i:D4}.",
            };
            if (kind.Category == "vulnerability")
            {
                record["cve"] = _cves[random.Next(_cves.Length)];
            }
            text.Append(JsonSerializer.Serialize(record)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
