namespace SpreadNet.Samples.ClusterDemo;

/// <summary>Names shared by silos and clients.</summary>
internal static class Chat
{
    /// <summary>The Spread stream provider (on every silo and the client).</summary>
    public const string Provider = "chat";

    /// <summary>The group every silo's member joins; its views are what the demo compares.</summary>
    public const string Group = "chat-members";

    /// <summary>The chat room's stream: one stream, one total order.</summary>
    public static readonly StreamId Stream = StreamId.Create("chat", "room");

    /// <summary>The name a silo goes by (Orleans silo name and group session name).</summary>
    public static string SiloName(int silo) => $"silo{silo}";
}
