using SpreadNet.Ring;
using SpreadNet.Ring.Groups;
using SpreadNet.Ring.Verification.Groups;

namespace SpreadNet.Simulation.Groups;

/// <summary>
/// A session of a simulated node, as the group layer sees a <see cref="RingSession"/>: it sends
/// group-layer messages through its node's queue and records every event it is handed (to the
/// group verifier, in order). It keeps the last few messages before disposing them and checks
/// their payloads again then, so a receive buffer recycled while still leased would show.
/// </summary>
public sealed class SimulatedSession : ILocalMember
{
    private readonly GroupHost _host;
    private readonly Queue<(RingMessage Message, int Id)> _retained = new();
    private readonly Dictionary<uint, (string Group, bool Join)> _requests = [];
    private readonly int _retainDepth;
    private uint _nextRequest;
    private long _sent;

    internal SimulatedSession(GroupHost host, uint id, string name, bool prefersCopies, int retainDepth)
    {
        _host = host;
        _retainDepth = retainDepth;
        Member = new GroupMember(host.Node.Id, id, name);
        Key = new SessionKey(host.Node.Id, name);
        PrivateGroupList = [Member.Name];
        PrefersCopies = prefersCopies;
    }

    /// <summary>How the group verifier names the session.</summary>
    public SessionKey Key { get; }

    /// <summary>The groups the session last asked to join (and not to leave since).</summary>
    public HashSet<string> Joined { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the session asked to end (it sends nothing more).</summary>
    public bool Ending { get; private set; }

    /// <summary>Whether the session ended or vanished with its node.</summary>
    public bool Over { get; private set; }

    /// <inheritdoc />
    public GroupMember Member { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> PrivateGroupList { get; }

    /// <inheritdoc />
    public bool PrefersCopies { get; }

    PayloadCopier ILocalMember.Copier { get; } = new();

    /// <summary>Asks to join <paramref name="group"/>.</summary>
    public void Join(string group, long now)
    {
        uint request = ++_nextRequest;
        _requests[request] = (group, true);
        Joined.Add(group);
        Record(new JoinRequested(group));
        _host.Submit(GroupWire.Join(Member.SessionId, request, Member.SessionName, group), ServiceType.Agreed, now);
    }

    /// <summary>Asks to leave <paramref name="group"/>.</summary>
    public void Leave(string group, long now)
    {
        uint request = ++_nextRequest;
        _requests[request] = (group, false);
        Joined.Remove(group);
        Record(new LeaveRequested(group));
        _host.Submit(GroupWire.Leave(Member.SessionId, request, group), ServiceType.Agreed, now);
    }

    /// <summary>The key the next multicast will have.</summary>
    public GroupMessageKey NextMessage => new(Key, _sent);

    /// <summary>Multicasts message <paramref name="id"/> (<see cref="NextMessage"/>) of <paramref name="size"/> payload bytes to <paramref name="targets"/>.</summary>
    public void Multicast(string[] targets, int id, int size, ServiceType service, bool selfDiscard, long now)
    {
        var key = new GroupMessageKey(Key, _sent++);
        int header = GroupWire.DataHeaderSize(Member.SessionName, targets);
        var message = new byte[header + size];
        int written = GroupWire.WriteData(message, selfDiscard ? GroupWire.SelfDiscardFlag : (byte)0, Member.SessionId, 0, Member.SessionName, targets);
        GroupPayload.Write(message.AsSpan(written), id);
        Record(new Sent(key, targets, service, selfDiscard));
        _host.Submit(message, service, now);
    }

    /// <summary>Asks to end: the other members see it leave with reason Disconnect.</summary>
    public void End(long now)
    {
        Ending = true;
        Record(new EndRequested());
        _host.Submit(GroupWire.End(Member.SessionId), ServiceType.Agreed, now);
    }

    /// <summary>Records the configuration the node delivered (before the group layer sees it).</summary>
    internal void Configured(RingConfigured configuration) => Record(configuration);

    /// <summary>The node crashed or left: the session is gone without its end being ordered.</summary>
    internal void Vanish()
    {
        Over = true;
        ReleaseRetained(0);
        Record(new SessionVanished());
    }

    bool ILocalMember.Deliver(in SessionEvent sessionEvent, int payloadBytes)
    {
        if (Over)
        {
            _host.Driver.Run.Report("GroupPayload", $"{Member.Name} was handed {sessionEvent} after it ended");
            return false;
        }

        if (sessionEvent.Kind == SessionEventKind.View)
        {
            var view = sessionEvent.View!;
            _host.Driver.Handed(view.Kind);
            _host.Driver.Trace(this, view.ToString());
            _host.Driver.Run.NoteGroupEvent(view.Id.Sequence, view.Id.Index);
            Record(new ViewInstalled(view.Group, view.Id, view.Kind, view.Reason, Keys(view.Members), Keys(view.Joined), Keys(view.Left)));
            return true;
        }

        var message = sessionEvent.Message;
        int id = GroupPayload.ReadIntact(message.Payload.Span);
        if (id < 0 || !_host.Driver.TryGetSent(id, out var sent))
        {
            _host.Driver.Run.Report("GroupPayload", $"{Member.Name} was handed a payload of {message.PayloadLength} bytes at {message.Position} that is not an intact simulated multicast");
            return false;
        }

        _host.Driver.Handed(null);
        _host.Driver.Trace(this, $"message {sent} {message.Service} from {message.Sender} to [{string.Join(' ', message.Groups)}] at {message.Position}");
        _host.Driver.Run.NoteGroupEvent(id, message.Position.Sequence);
        Record(new MessageReceived(sent, new SessionKey(message.Sender.Node, message.Sender.SessionName), message.Groups, message.Service, message.Position));
        _retained.Enqueue((message, id));
        ReleaseRetained(_retainDepth);
        return true;
    }

    void ILocalMember.RequestCompleted(uint request)
    {
        if (_requests.Remove(request, out var done))
        {
            Record(new RequestCompleted(done.Group, done.Join));
        }
        else
        {
            _host.Driver.Run.Report("GroupRequests", $"{Member.Name} was told request {request} completed, which it never made or was told before");
        }
    }

    void ILocalMember.Ended()
    {
        Over = true;
        ReleaseRetained(0);
        Record(new SessionEnded());
        _host.Ended(this);
    }

    private static SessionKey[] Keys(IReadOnlyList<GroupMember> members)
    {
        var keys = new SessionKey[members.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = new SessionKey(members[i].Node, members[i].SessionName);
        }

        return keys;
    }

    /// <summary>Disposes retained messages beyond <paramref name="keep"/>, checking each payload is still intact.</summary>
    private void ReleaseRetained(int keep)
    {
        while (_retained.Count > keep)
        {
            var (message, id) = _retained.Dequeue();
            if (GroupPayload.ReadIntact(message.Payload.Span) != id)
            {
                _host.Driver.Run.Report("GroupPayload", $"{Member.Name}'s message {id} at {message.Position} changed while it held it: its buffer was reused");
            }

            message.Dispose();
        }
    }

    private void Record(SessionEntry entry) => _host.Driver.Checker.Record(Key, entry);
}
