using Microsoft.Extensions.Logging;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Transport;

/// <summary>The ring node's log messages (source-generated); event ids 1000-1099 belong to the ring.</summary>
internal static partial class RingLog
{
    public static void Log(ILogger logger, RingEvent ringEvent)
    {
        switch (ringEvent.Kind)
        {
            case RingEventKind.SettingsMismatch or RingEventKind.VersionMismatch or RingEventKind.OneWayLink or RingEventKind.AuthenticationFailed or RingEventKind.ReplayRejected:
                RingProblem(logger, ringEvent.Kind, ringEvent.Message);
                break;
            case RingEventKind.TokenLost or RingEventKind.FailedToReceive:
                RingFault(logger, ringEvent.Kind, ringEvent.Message);
                break;
            default:
                RingChange(logger, ringEvent.Kind, ringEvent.Message);
                break;
        }
    }

    public static void LogConfiguration(ILogger logger, ConfigurationChange change) =>
        ConfigurationInstalled(logger, change.Kind, change.Ring, new EndPointList(change.Members));

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "{Kind}: {Text}")]
    private static partial void RingProblem(ILogger logger, RingEventKind kind, string text);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Kind}: {Text}")]
    private static partial void RingFault(ILogger logger, RingEventKind kind, string text);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "{Kind}: {Text}")]
    private static partial void RingChange(ILogger logger, RingEventKind kind, string text);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Ring {Kind} configuration {Ring}: {Members}")]
    private static partial void ConfigurationInstalled(ILogger logger, ConfigurationKind kind, RingId ring, EndPointList members);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Ring {Name} node {EndPoint} starting with {SeedCount} other seed(s); metrics on meter " + RingMetrics.MeterName)]
    public static partial void NodeStarting(ILogger logger, string name, System.Net.IPEndPoint endPoint, int seedCount);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Session {Session} is falling behind: {Queued} events / {Bytes} bytes queued, limits {MaxQueued} / {MaxBytes}")]
    public static partial void SessionBacklogged(ILogger logger, string session, int queued, long bytes, int maxQueued, long maxBytes);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "{Text}")]
    public static partial void SessionEvicted(ILogger logger, string text);

    /// <summary>Members by address, formatted only if the message is written.</summary>
    private readonly record struct EndPointList(IReadOnlyList<NodeId> Members)
    {
        public override string ToString() => string.Join(", ", Members.Select(m => m.ToEndPoint()));
    }
}
