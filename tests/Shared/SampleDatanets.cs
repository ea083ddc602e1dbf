using System.Text;
using OpenLedger.Client;
using OpenLedger.Datanets;

namespace OpenLedger.Testing;

/// <summary>Incident-report Datanets and records for tests.</summary>
public static class SampleDatanets
{
    public const string Licence = "CC-BY-4.0";

    public static RecordSchema IncidentSchema { get; } = new(
    [
        new FieldSpec("title", FieldType.Text, MaxLength: 200),
        new FieldSpec("severity", FieldType.Integer),
        new FieldSpec("observed_at", FieldType.Timestamp),
        new FieldSpec("confirmed", FieldType.Boolean, Required: false),
        new FieldSpec("summary", FieldType.Text),
    ]);

    public static DatanetSpec Curated(params ContributorKey[] curators) => new(
        "Incident reports", "cybersecurity", "Triaged security incident write-ups.", Licence, IncidentSchema,
        CurationPolicy.CuratedBy(curators.Select(c => c.Address).ToArray()));

    public static DatanetSpec Open() => Curated() with { Curation = CurationPolicy.Open };

    public static string NewId(string prefix = "dn") => $"{prefix}-{Guid.NewGuid():N}"[..20];

    public static byte[] Records(int count, string tag)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("{\"title\":\"Phishing wave ").Append(tag).Append(' ').Append(i)
                .Append("\",\"severity\":").Append(1 + i % 5)
                .Append(",\"observed_at\":\"2026-03-0").Append(1 + i % 9).Append("T10:00:00Z\",\"confirmed\":true")
                .Append(",\"summary\":\"Credential harvesting pages mimicking the VPN portal.\"}\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
