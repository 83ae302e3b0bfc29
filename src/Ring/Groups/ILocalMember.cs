namespace SpreadNet.Ring.Groups;

/// <summary>A session hosted by this node, as the group layer sees it (the layer calls it on the node's thread).</summary>
internal interface ILocalMember
{
    GroupMember Member { get; }

    /// <summary>The private name as a one-element group list, for messages sent to this session alone.</summary>
    IReadOnlyList<string> PrivateGroupList { get; }

    /// <summary>Whether new payloads should be copied rather than pin the shared receive buffer (the session is behind).</summary>
    bool PrefersCopies { get; }

    /// <summary>Where this member's copies are packed (used on the node's thread).</summary>
    PayloadCopier Copier { get; }

    /// <summary>Queues an event; false when it was refused (the event is then disposed by the caller).</summary>
    bool Deliver(in SessionEvent sessionEvent, int payloadBytes);

    /// <summary>The join or leave with this request number took effect.</summary>
    void RequestCompleted(uint request);

    /// <summary>The session's end was ordered: nothing more will be delivered to it.</summary>
    void Ended();
}
