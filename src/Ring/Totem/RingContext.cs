namespace SpreadNet.Ring.Totem;

/// <summary>
/// The ordering state of one ring configuration at this node: its id and members, the packets held
/// by sequence number, and how far this node has received, found safe and delivered. A node has
/// one (its regular ring) and, while recovering, a second (the ring being formed).
/// </summary>
internal sealed class RingContext
{
    public RingContext(RingId id, NodeId[] members, NodeId self, int receiveWindow, PacketPool pool)
    {
        Id = id;
        Members = members;
        int index = Array.BinarySearch(members, self);
        Next = members[(index + 1) % members.Length];
        Store = new PacketStore(receiveWindow, pool);
        Reassembly = new Reassembly[members.Length];
    }

    public RingId Id { get; }

    /// <summary>Members in ring order (ascending id).</summary>
    public NodeId[] Members { get; }

    /// <summary>The member this node passes the token to.</summary>
    public NodeId Next { get; }

    public PacketStore Store { get; }

    /// <summary>Every packet up to here has been received.</summary>
    public long MyAru { get; set; }

    /// <summary>Highest sequence number received.</summary>
    public long HighestSeen { get; set; }

    /// <summary>Every member is known to have every packet up to here.</summary>
    public long SafeUpTo { get; set; }

    /// <summary>Every packet up to here has been delivered (or skipped as a hole, during recovery).</summary>
    public long DeliveredUpTo { get; set; }

    /// <summary>Entry index inside packet DeliveredUpTo + 1 where delivery resumes.</summary>
    public int CursorIndex { get; set; }

    /// <summary>Byte offset of that entry (0 = the first entry).</summary>
    public int CursorOffset { get; set; }

    /// <summary>Messages being reassembled, one slot per member (by index in <see cref="Members"/>).</summary>
    public Reassembly[] Reassembly { get; }

    public bool IsMember(NodeId node) => Array.BinarySearch(Members, node) >= 0;

    public ref Reassembly ReassemblyOf(NodeId sender) => ref Reassembly[Array.BinarySearch(Members, sender)];

    public void AdvanceAru()
    {
        while (Store.Contains(MyAru + 1))
        {
            MyAru++;
        }
    }

    /// <summary>Stores a received packet; false if a duplicate or outside the window.</summary>
    public bool TryStore(long seq, byte[] buffer, int length)
    {
        if (seq <= MyAru || !Store.TryAdd(seq, buffer, length))
        {
            return false;
        }

        HighestSeen = Math.Max(HighestSeen, seq);
        AdvanceAru();
        return true;
    }

    /// <summary>Returns every buffer and abandons partial messages.</summary>
    public void Release()
    {
        Store.Reset(Store.FreedUpTo);
        for (int i = 0; i < Reassembly.Length; i++)
        {
            Reassembly[i].Abandon();
        }
    }
}
