namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// One session, whoever reports it: the node hosting it and its name. Names must be unique per
/// node over the whole log (a restarted node's sessions get new names), so a key never names two
/// sessions.
/// </summary>
public readonly record struct SessionKey(NodeId Node, string Name)
{
    /// <summary>The session's private group name, <c>#name#node</c>, as the group layer spells it.</summary>
    public string PrivateName => $"#{Name}#{Node}";

    /// <inheritdoc />
    public override string ToString() => $"{Name}@{Node}";
}

/// <summary>One multicast: its sending session and that session's number for it, growing in send order.</summary>
public readonly record struct GroupMessageKey(SessionKey Sender, long Number)
{
    /// <inheritdoc />
    public override string ToString() => $"{Sender}#{Number}";
}
