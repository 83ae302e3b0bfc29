using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Verification.Groups;

/// <summary>One thing a session did or was handed, in the order it happened at the session.</summary>
public abstract record SessionEntry;

/// <summary>The session asked to join <paramref name="Group"/>.</summary>
public sealed record JoinRequested(string Group) : SessionEntry;

/// <summary>The session asked to leave <paramref name="Group"/>.</summary>
public sealed record LeaveRequested(string Group) : SessionEntry;

/// <summary>The session asked to end (its End message is on its way).</summary>
public sealed record EndRequested : SessionEntry;

/// <summary>The session multicast <paramref name="Message"/> to <paramref name="Targets"/> (group names or private names).</summary>
public sealed record Sent(GroupMessageKey Message, IReadOnlyList<string> Targets, ServiceType Service, bool SelfDiscard) : SessionEntry;

/// <summary>The session's node delivered a ring configuration change (recorded before the group layer sees it).</summary>
public sealed record RingConfigured(ConfigKind Kind, RingId Ring, RingId PreviousRing, IReadOnlyList<NodeId> Members) : SessionEntry;

/// <summary>The session was handed a view of <paramref name="Group"/>.</summary>
public sealed record ViewInstalled(
    string Group,
    GroupViewId Id,
    GroupViewKind Kind,
    ViewChangeReason Reason,
    IReadOnlyList<SessionKey> Members,
    IReadOnlyList<SessionKey> Joined,
    IReadOnlyList<SessionKey> Left) : SessionEntry;

/// <summary>The session was handed <paramref name="Message"/>, as the group layer described it.</summary>
public sealed record MessageReceived(GroupMessageKey Message, SessionKey ReportedSender, IReadOnlyList<string> Groups, ServiceType Service, MessagePosition Position) : SessionEntry;

/// <summary>The session's join (or leave) of <paramref name="Group"/> took effect at its node.</summary>
public sealed record RequestCompleted(string Group, bool Join) : SessionEntry;

/// <summary>The group layer ended the session (its End was ordered): nothing more follows.</summary>
public sealed record SessionEnded : SessionEntry;

/// <summary>The session's node crashed or left the ring: nothing more follows.</summary>
public sealed record SessionVanished : SessionEntry;
