using System.Text;

namespace OpenLedger.Serving;

/// <summary>
/// How chat turns become the prompt a model continues: one <c>Role: content</c> line per turn, ending where the
/// assistant speaks next. One definition, so a chat over HTTP and over the gateway prompts the model alike.
/// </summary>
public static class ChatTranscript
{
    /// <summary>Whether <paramref name="role"/> is a role a turn may have: system, user or assistant.</summary>
    public static bool IsRole(string? role) => role is "system" or "user" or "assistant";

    /// <summary>The prompt for <paramref name="turns"/>, whose roles are system, user or assistant.</summary>
    public static string Render(IEnumerable<(string Role, string Content)> turns)
    {
        var transcript = new StringBuilder();
        foreach (var (role, content) in turns)
        {
            transcript.Append(role switch { "system" => "System", "user" => "User", _ => "Assistant" }).Append(": ").Append(content).Append('\n');
        }
        return transcript.Append("Assistant:").ToString();
    }
}
