namespace SpreadNet.Samples.ClusterDemo;

/// <summary>Names shared by silos and clients.</summary>
internal static class Chat
{
    /// <summary>The Spread stream provider (on every silo and the client).</summary>
    public const string Provider = "chat";

    /// <summary>The group every member (a grain per silo, and the client's observer) joins; its views and notices are what the demo compares.</summary>
    public const string Group = "chat-room";

    /// <summary>The ring the group lives on (<c>AddSpreadGroups</c> on every silo), beside the stream's ring "streams".</summary>
    public const string GroupRing = "groups";

    /// <summary>The chat room's stream: one stream, one total order.</summary>
    public static readonly StreamId Stream = StreamId.Create("chat", "room");

    /// <summary>The name a silo goes by (Orleans silo name).</summary>
    public static string SiloName(int silo) => $"silo{silo}";
}
