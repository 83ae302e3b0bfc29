namespace SpreadNet.Ring.Groups;

/// <summary>Counters of one node's group layer, written on the node's thread and readable from any thread.</summary>
public sealed class GroupCounters
{
    private long _malformed;
    private long _staleStates;
    private long _views;
    private long _multicasts;
    private long _messagesQueued;
    private long _messagesDropped;
    private long _sessionsEvicted;

    /// <summary>Group-layer messages dropped because they did not decode.</summary>
    public long MalformedMessages => Volatile.Read(ref _malformed);

    /// <summary>Announcements of an exchange a later configuration change cut short, ignored.</summary>
    public long StaleAnnouncements => Volatile.Read(ref _staleStates);

    /// <summary>Views installed (each counted once per node, however many local members got it).</summary>
    public long ViewsInstalled => Volatile.Read(ref _views);

    /// <summary>Multicast messages applied.</summary>
    public long Multicasts => Volatile.Read(ref _multicasts);

    /// <summary>Messages queued to local sessions.</summary>
    public long MessagesQueued => Volatile.Read(ref _messagesQueued);

    /// <summary>Messages not queued to a local session because it was full (unreliable ones) or being evicted.</summary>
    public long MessagesDropped => Volatile.Read(ref _messagesDropped);

    /// <summary>Sessions ended because they fell behind by more than their limits.</summary>
    public long SessionsEvicted => Volatile.Read(ref _sessionsEvicted);

    internal void Malformed() => Interlocked.Increment(ref _malformed);

    internal void StaleState() => Interlocked.Increment(ref _staleStates);

    internal void ViewInstalled() => Interlocked.Increment(ref _views);

    internal void Multicast(int recipients)
    {
        Interlocked.Increment(ref _multicasts);
        Interlocked.Add(ref _messagesQueued, recipients);
    }

    internal void Dropped() => Interlocked.Increment(ref _messagesDropped);

    internal void Evicted() => Interlocked.Increment(ref _sessionsEvicted);
}
