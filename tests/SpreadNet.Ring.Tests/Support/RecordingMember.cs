using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Tests.Support;

/// <summary>A local session stand-in for group-layer tests: counts and disposes what it receives.</summary>
internal sealed class RecordingMember(NodeId node, uint id, string name) : ILocalMember
{
    public GroupMember Member { get; } = new(node, id, name);

    public IReadOnlyList<string> PrivateGroupList => [Member.Name];

    public bool PrefersCopies => false;

    public PayloadCopier Copier { get; } = new();

    public List<string> Events { get; } = [];

    public bool Ended { get; private set; }

    public int Messages { get; private set; }

    public bool Deliver(in SessionEvent sessionEvent, int payloadBytes)
    {
        if (sessionEvent.Kind == SessionEventKind.View)
        {
            Events.Add(sessionEvent.View!.ToString());
        }
        else
        {
            Messages++;
            _ = sessionEvent.Message.Payload.Length;
            Events.Add($"msg {sessionEvent.Message.Sender} {sessionEvent.Message.PayloadLength}");
        }

        sessionEvent.Dispose();
        return true;
    }

    public void RequestCompleted(uint request)
    {
    }

    void ILocalMember.Ended() => Ended = true;
}
