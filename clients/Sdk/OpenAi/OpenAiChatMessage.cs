namespace OpenLedger.Client.OpenAi;

/// <summary>One chat turn: <see cref="Role"/> is system, user or assistant.</summary>
public sealed record OpenAiChatMessage(string Role, string Content);
