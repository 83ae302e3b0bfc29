using Orleans.Runtime;
using SpreadNet.Interfaces;
using SpreadNet.Ring.Groups;

namespace SpreadNet.Grains.Membership;

/// <summary>
/// One member registered at this silo: its ring session (joined to the member's groups on this
/// ring) and the pump that hands the session's events to the member one at a time, in ring order.
/// </summary>
internal sealed class MemberSession(GrainId id, IGroupMember member, RingSession session, GroupMemberInfo info)
{
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private int _ended;
    private volatile bool _silenced;

    public GrainId Id { get; } = id;

    public IGroupMember Member { get; } = member;

    public RingSession Session { get; } = session;

    /// <summary>How other members see this one.</summary>
    public GroupMemberInfo Info { get; } = info;

    /// <summary>Serializes the member's joins, leaves and removal.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Whether the member is a client's object (its calls fail when the client is gone).</summary>
    public bool IsClient { get; } = GrainTypePrefix.IsClient(id);

    /// <summary>Completes once the member's announcement is queued, before its first join.</summary>
    public Task Announced { get; set; } = Task.CompletedTask;

    /// <summary>The pump; completes when the session has ended and its events are handed over.</summary>
    public Task Pump { get; set; } = Task.CompletedTask;

    public bool Ended => Volatile.Read(ref _ended) != 0;

    /// <summary>Whether events are still handed to the member (false once it deactivated or was found gone).</summary>
    public bool Delivering => !_silenced;

    /// <summary>The member's groups (read and written under <see cref="Gate"/>).</summary>
    public HashSet<string> Groups => _groups;

    /// <summary>Marks the session ended; true for the caller that ended it.</summary>
    public bool MarkEnded() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>Stops handing events to the member: calling a deactivated grain would activate it again.</summary>
    public void Silence() => _silenced = true;
}
