namespace SpreadNet.Ring.Groups;

/// <summary>
/// A session as other sessions see it: its private name (<c>#session#node</c>, unique in the ring,
/// usable as a group name to send to this session alone) and the node that hosts it.
/// </summary>
public sealed class GroupMember : IEquatable<GroupMember>
{
    internal GroupMember(NodeId node, uint sessionId, string sessionName)
    {
        Node = node;
        SessionId = sessionId;
        SessionName = sessionName;
        Name = GroupNames.PrivateName(sessionName, node);
    }

    /// <summary>The private name: <c>#</c>session<c>#</c>node.</summary>
    public string Name { get; }

    /// <summary>The name the session was opened with.</summary>
    public string SessionName { get; }

    /// <summary>The ring node hosting the session.</summary>
    public NodeId Node { get; }

    internal uint SessionId { get; }

    /// <inheritdoc />
    public bool Equals(GroupMember? other) => other is not null && other.Node == Node && other.SessionId == SessionId;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GroupMember);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Node, SessionId);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Ring order then name: the order members are listed in a view at every node.</summary>
    internal static int CompareByRingOrder(GroupMember? left, GroupMember? right)
    {
        int byNode = left!.Node.CompareTo(right!.Node);
        if (byNode != 0)
        {
            return byNode;
        }

        int byName = string.CompareOrdinal(left.SessionName, right.SessionName);
        return byName != 0 ? byName : left.SessionId.CompareTo(right.SessionId);
    }
}
