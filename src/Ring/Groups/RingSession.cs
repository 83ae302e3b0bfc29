using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Groups;

/// <summary>Options of one multicast.</summary>
[Flags]
public enum MulticastFlags
{
    /// <summary>Nothing special: the sender receives its own message if it is a member of a target group.</summary>
    None = 0,

    /// <summary>The sending session does not receive its own message (Spread's SELF_DISCARD).</summary>
    SelfDiscard = 1,
}

/// <summary>
/// A client of the ring, as a Spread connection is a client of a daemon: it joins and leaves
/// groups, multicasts to groups (or to one session, by its private name), and receives the
/// messages and views of its groups in the ring's total order through <see cref="Events"/>. Any
/// number of sessions share one <see cref="RingNode"/>. Thread-safe; <see cref="Events"/> has one reader.
/// </summary>
public sealed class RingSession : ILocalMember, IAsyncDisposable
{
    private const int StackHeaderLimit = 512;

    private readonly RingNode _node;
    private readonly GroupLayer _layer;
    private readonly OutboundQueue _outbound;
    private readonly RingSessionOptions _options;
    private readonly SessionQueue _queue = new();
    private readonly PayloadCopier _copier = new();
    private readonly ConcurrentDictionary<uint, TaskCompletionSource> _requests = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _warnMessages;
    private readonly long _warnBytes;
    private uint _nextRequest;
    private int _state;
    private bool _warned;
    private string? _overflow;

    internal RingSession(RingNode node, GroupLayer layer, OutboundQueue outbound, uint id, string name, RingSessionOptions options)
    {
        _node = node;
        _layer = layer;
        _outbound = outbound;
        _options = options;
        Member = new GroupMember(node.Id, id, name);
        PrivateGroupList = [Member.Name];
        _warnMessages = Math.Max(1, (int)(options.MaxQueuedMessages * options.WarningThreshold));
        _warnBytes = Math.Max(1, (long)(options.MaxQueuedBytes * options.WarningThreshold));
    }

    /// <summary>The session's name, unique on its node.</summary>
    public string Name => Member.SessionName;

    /// <summary>How other sessions see this one; <see cref="GroupMember.Name"/> is its private group.</summary>
    public GroupMember Member { get; }

    /// <summary>The ring node hosting the session.</summary>
    public RingNode Node => _node;

    /// <summary>
    /// Messages and views of this session's groups, in the ring's total order. One reader at a time.
    /// Completes when the session ends; fails with <see cref="SessionOverflowException"/> if it was
    /// ended for falling behind.
    /// </summary>
    public ChannelReader<SessionEvent> Events => _queue;

    /// <summary>Events waiting to be read.</summary>
    public int QueuedEvents => _queue.QueuedMessages;

    /// <summary>
    /// Raised (on the ring node's thread: keep it short) when the queue passes the warning threshold
    /// of its limits, before anything is dropped.
    /// </summary>
    public event Action<RingSession, SessionBacklog>? Backlogged;

    /// <summary>Completes when the session has ended (its end is ordered in the ring, or the node stopped).</summary>
    public Task Completion => _ended.Task;

    IReadOnlyList<string> ILocalMember.PrivateGroupList => PrivateGroupList;

    bool ILocalMember.PrefersCopies => _queue.QueuedMessages > _options.ZeroCopyQueueDepth;

    PayloadCopier ILocalMember.Copier => _copier;

    private string[] PrivateGroupList { get; }

    /// <summary>Reads the events as they arrive; stops when the session ends.</summary>
    public IAsyncEnumerable<SessionEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _queue.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Joins a group. Completes when the join is ordered and applied at this node: the view that
    /// includes this session is then in <see cref="Events"/>. Joining a group twice does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The group name is not valid (the message says why).</exception>
    public Task JoinAsync(string group, CancellationToken cancellationToken = default)
    {
        GroupNames.ValidateGroup(group);
        RejectPrivate(group);
        return RequestAsync(request => GroupWire.Join(Member.SessionId, request, Name, group), cancellationToken);
    }

    /// <summary>Leaves a group. Completes when the leave is ordered and applied at this node.</summary>
    /// <exception cref="ArgumentException">The group name is not valid (the message says why).</exception>
    public Task LeaveAsync(string group, CancellationToken cancellationToken = default)
    {
        GroupNames.ValidateGroup(group);
        RejectPrivate(group);
        return RequestAsync(request => GroupWire.Leave(Member.SessionId, request, group), cancellationToken);
    }

    /// <summary>
    /// Multicasts to one group (or, by its private name, one session) if the node's send queue has
    /// room; false when it is full. The payload is copied once, into the datagram.
    /// </summary>
    /// <exception cref="ArgumentException">The group name is not valid (the message says why).</exception>
    public bool TryMulticast(string group, ReadOnlySpan<byte> payload, ServiceType service = ServiceType.Agreed, MulticastFlags flags = MulticastFlags.None)
    {
        GroupNames.ValidateGroup(group);
        _node.CheckSize(payload.Length);
        ThrowIfEnded();
        var groups = new SingleGroup(group);
        int headerSize = GroupWire.DataHeaderSize(Name, groups);
        Span<byte> header = stackalloc byte[StackHeaderLimit];
        if (headerSize > StackHeaderLimit)
        {
            header = new byte[headerSize];
        }

        int length = GroupWire.WriteData(header, FlagsByte(flags), Member.SessionId, 0, Name, groups);
        return _outbound.TryEnqueue(new MessageParts(header[..length], payload), service, EntryKind.Group);
    }

    /// <summary>
    /// Multicasts to one group (or one session, by its private name), waiting while the node's send
    /// queue is full. Completes when the message is queued for the ring.
    /// </summary>
    public ValueTask MulticastAsync(string group, ReadOnlyMemory<byte> payload, ServiceType service = ServiceType.Agreed, MulticastFlags flags = MulticastFlags.None, CancellationToken cancellationToken = default) =>
        MulticastCore(new SingleGroup(group), new ReadOnlySequence<byte>(payload), service, flags, cancellationToken);

    /// <summary>
    /// Multicasts one message to several groups at once: it is ordered once, and a session in several
    /// of them receives it once. The payload may be scattered (<see cref="ReadOnlySequence{T}"/>); it
    /// is copied once, into the datagram.
    /// </summary>
    /// <exception cref="ArgumentException">No group, more than 100, or a name that is not valid.</exception>
    public ValueTask MulticastAsync(IReadOnlyList<string> groups, ReadOnlySequence<byte> payload, ServiceType service = ServiceType.Agreed, MulticastFlags flags = MulticastFlags.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return MulticastCore(groups, payload, service, flags, cancellationToken);
    }

    /// <summary>
    /// Ends the session: the other members of its groups see it leave with reason Disconnect.
    /// Completes when the end is ordered (or the node stopped). The reader still gets the events
    /// queued before the end, then completes; events nobody reads are left to the garbage
    /// collector (their buffers leave the node's pool), since draining them here would race the reader.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            try
            {
                await _outbound.EnqueueAsync(GroupWire.End(Member.SessionId), ReadOnlySequence<byte>.Empty, ServiceType.Agreed, EntryKind.Group).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                NodeStopped();
            }
        }

        await _ended.Task.ConfigureAwait(false);
    }

    bool ILocalMember.Deliver(in SessionEvent sessionEvent, int payloadBytes)
    {
        if (_overflow is not null || _ended.Task.IsCompleted)
        {
            _layer.Counters.Dropped();
            return false;
        }

        int queued = _queue.QueuedMessages + 1;
        long bytes = _queue.QueuedBytes + payloadBytes;
        if (sessionEvent.Kind == SessionEventKind.Message && (queued > _options.MaxQueuedMessages || bytes > _options.MaxQueuedBytes))
        {
            _layer.Counters.Dropped();
            if (sessionEvent.Message.Service != ServiceType.Unreliable)
            {
                Evict(queued, bytes);
            }

            return false;
        }

        if (!_warned && (queued >= _warnMessages || bytes >= _warnBytes))
        {
            _warned = true;
            var backlog = new SessionBacklog(queued, bytes, _options.MaxQueuedMessages, _options.MaxQueuedBytes);
            _node.ReportBacklog(this, backlog);
            Backlogged?.Invoke(this, backlog);
        }
        else if (_warned && queued < _warnMessages / 2 && bytes < _warnBytes / 2)
        {
            _warned = false;
        }

        return _queue.TryWrite(sessionEvent);
    }

    void ILocalMember.RequestCompleted(uint request)
    {
        if (_requests.TryRemove(request, out var pending))
        {
            pending.TrySetResult();
        }
    }

    void ILocalMember.Ended()
    {
        Volatile.Write(ref _state, 1);
        _copier.Close();
        _queue.Complete(_overflow is null ? null : new SessionOverflowException(_overflow));
        FailRequests(new InvalidOperationException($"Session {Member.Name} ended."));
        _ended.TrySetResult();
    }

    /// <summary>The node stopped: the session ends without its end being ordered.</summary>
    internal void NodeStopped()
    {
        Volatile.Write(ref _state, 1);
        _copier.Close(); // the node's thread has stopped: nothing copies any more
        _layer.Unregister(this);
        _queue.Complete(_overflow is null ? null : new SessionOverflowException(_overflow));
        FailRequests(new ObjectDisposedException(nameof(RingNode), "The ring node stopped."));
        _ended.TrySetResult();
    }

    private static byte FlagsByte(MulticastFlags flags) => (flags & MulticastFlags.SelfDiscard) != 0 ? GroupWire.SelfDiscardFlag : (byte)0;

    private static void RejectPrivate(string group)
    {
        if (GroupNames.IsPrivate(group))
        {
            throw new ArgumentException($"'{group}' is a session's private name: it can be sent to but not joined or left.", nameof(group));
        }
    }

    private static void ValidateTargets<TGroups>(TGroups groups)
        where TGroups : IReadOnlyList<string>
    {
        if (groups.Count == 0 || groups.Count > GroupWire.MaxGroupsPerMessage)
        {
            throw new ArgumentException($"A message goes to 1 to {GroupWire.MaxGroupsPerMessage} groups; {groups.Count} were given.", nameof(groups));
        }

        for (int i = 0; i < groups.Count; i++)
        {
            GroupNames.ValidateGroup(groups[i], nameof(groups));
        }
    }

    private ValueTask MulticastCore<TGroups>(TGroups groups, ReadOnlySequence<byte> payload, ServiceType service, MulticastFlags flags, CancellationToken cancellationToken)
        where TGroups : IReadOnlyList<string>
    {
        ValidateTargets(groups);
        _node.CheckSize(payload.Length);
        ThrowIfEnded();
        int headerSize = GroupWire.DataHeaderSize(Name, groups);
        if (headerSize <= StackHeaderLimit)
        {
            Span<byte> header = stackalloc byte[headerSize];
            GroupWire.WriteData(header, FlagsByte(flags), Member.SessionId, 0, Name, groups);
            if (_outbound.TryEnqueue(new MessageParts(header, payload), service, EntryKind.Group))
            {
                return ValueTask.CompletedTask;
            }
        }

        var copy = new byte[headerSize];
        GroupWire.WriteData(copy, FlagsByte(flags), Member.SessionId, 0, Name, groups);
        return _outbound.EnqueueAsync(copy, payload, service, EntryKind.Group, cancellationToken);
    }

    private async Task RequestAsync(Func<uint, byte[]> write, CancellationToken cancellationToken)
    {
        ThrowIfEnded();
        uint request = Interlocked.Increment(ref _nextRequest);
        var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[request] = pending;
        try
        {
            await _outbound.EnqueueAsync(write(request), ReadOnlySequence<byte>.Empty, ServiceType.Agreed, EntryKind.Group, cancellationToken).ConfigureAwait(false);
            await pending.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _requests.TryRemove(request, out _);
        }
    }

    private void Evict(int queued, long bytes)
    {
        _overflow = $"Session {Member.Name} was ended because its reader fell behind: {queued} events / {bytes} bytes would exceed its limits " +
            $"(MaxQueuedMessages {_options.MaxQueuedMessages}, MaxQueuedBytes {_options.MaxQueuedBytes}). Read faster, or raise the limits in RingSessionOptions.";
        _layer.Counters.Evicted();
        _node.ReportEviction(_overflow);
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            _outbound.TryEnqueue(new MessageParts(GroupWire.End(Member.SessionId)), ServiceType.Agreed, EntryKind.Group, force: true);
        }
    }

    private void FailRequests(Exception error)
    {
        foreach (var request in _requests.Keys)
        {
            if (_requests.TryRemove(request, out var pending))
            {
                pending.TrySetException(error);
            }
        }
    }

    private void ThrowIfEnded()
    {
        if (Volatile.Read(ref _state) != 0)
        {
            throw new ObjectDisposedException(nameof(RingSession), $"Session {Member.Name} has ended.");
        }
    }

    /// <summary>One group as a list, without allocating an array per message.</summary>
    private readonly struct SingleGroup(string group) : IReadOnlyList<string>
    {
        public int Count => 1;

        public string this[int index] => index == 0 ? group : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<string> GetEnumerator()
        {
            yield return group;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
