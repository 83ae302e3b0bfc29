using System.Buffers.Binary;
using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>Reads a session's events into a list of comparable lines until the session ends.</summary>
internal sealed class SessionRecorder
{
    private readonly List<string> _lines = [];
    private readonly List<GroupView> _views = [];

    public SessionRecorder(RingSession session)
    {
        Session = session;
        Reading = Task.Run(ReadAsync);
    }

    public RingSession Session { get; }

    public Task Reading { get; }

    public int Messages { get; private set; }

    public string[] Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public GroupView[] Views
    {
        get
        {
            lock (_lines)
            {
                return [.. _views];
            }
        }
    }

    public static byte[] Payload(int sender, int counter)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(payload, sender);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), counter);
        return payload;
    }

    public async Task WaitForAsync(Func<SessionRecorder, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (Reading.IsFaulted)
            {
                await Reading;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what} at {Session.Member}: {Messages} messages, views: {string.Join(" | ", Views.Select(v => v.ToString()))}");
            await Task.Delay(10);
        }
    }

    private async Task ReadAsync()
    {
        await foreach (var item in Session.ReadAllAsync())
        {
            using (item)
            {
                lock (_lines)
                {
                    if (item.Kind == SessionEventKind.View)
                    {
                        _views.Add(item.View!);
                        _lines.Add($"view {item.View}");
                    }
                    else
                    {
                        var payload = item.Message.Payload.Span;
                        string body = payload.Length >= 8
                            ? $"{BinaryPrimitives.ReadInt32BigEndian(payload)}:{BinaryPrimitives.ReadInt32BigEndian(payload[4..])}:{payload.Length}"
                            : Convert.ToHexString(payload);
                        _lines.Add($"msg {item.Message.Sender} [{string.Join(",", item.Message.Groups)}] {item.Message.Service} {body}");
                        Messages++;
                    }
                }
            }
        }
    }
}
