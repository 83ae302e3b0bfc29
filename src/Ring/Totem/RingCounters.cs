using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Counters of one ring node, written by its engine thread only and readable from any thread
/// (a reader may see a value a moment old).
/// </summary>
public sealed class RingCounters
{
    private readonly long[] _drops = new long[Enum.GetValues<DropReason>().Length];
    private long _tokensReceived;
    private long _tokenRetransmits;
    private long _tokenLosses;
    private long _packetsSent;
    private long _packetsRetransmitted;
    private long _packetsReceived;
    private long _messagesDelivered;
    private long _bytesDelivered;
    private long _reassemblyErrors;
    private long _membershipMessages;
    private long _gathers;
    private long _regularConfigurations;
    private long _transitionalConfigurations;
    private long _receiveWindowUsage;

    /// <summary>Tokens accepted.</summary>
    public long TokensReceived => Volatile.Read(ref _tokensReceived);

    /// <summary>Times this node sent the token again for lack of progress.</summary>
    public long TokenRetransmits => Volatile.Read(ref _tokenRetransmits);

    /// <summary>Times the token-loss timeout expired.</summary>
    public long TokenLosses => Volatile.Read(ref _tokenLosses);

    /// <summary>New data packets this node sent.</summary>
    public long PacketsSent => Volatile.Read(ref _packetsSent);

    /// <summary>Data packets this node sent again because the token asked for them.</summary>
    public long PacketsRetransmitted => Volatile.Read(ref _packetsRetransmitted);

    /// <summary>Data packets accepted from other nodes.</summary>
    public long PacketsReceived => Volatile.Read(ref _packetsReceived);

    /// <summary>Messages handed to the application.</summary>
    public long MessagesDelivered => Volatile.Read(ref _messagesDelivered);

    /// <summary>Payload bytes handed to the application.</summary>
    public long BytesDelivered => Volatile.Read(ref _bytesDelivered);

    /// <summary>Fragments that did not fit the message they claimed to belong to, dropped.</summary>
    public long ReassemblyErrors => Volatile.Read(ref _reassemblyErrors);

    /// <summary>Membership messages accepted (joins, commit tokens, merge detections, leaves) and foreign packets that started a merge.</summary>
    public long MembershipMessages => Volatile.Read(ref _membershipMessages);

    /// <summary>Times this node entered Gather to form a new ring.</summary>
    public long Gathers => Volatile.Read(ref _gathers);

    /// <summary>Regular configurations delivered to the application (rings this node operated in).</summary>
    public long RegularConfigurations => Volatile.Read(ref _regularConfigurations);

    /// <summary>Transitional configurations delivered to the application (rings this node moved out of).</summary>
    public long TransitionalConfigurations => Volatile.Read(ref _transitionalConfigurations);

    /// <summary>
    /// Sequence numbers of the regular ring between the highest packet freed (safe and delivered)
    /// and the highest received, at the last token visit: how much of the receive window is taken.
    /// </summary>
    public long ReceiveWindowUsage => Volatile.Read(ref _receiveWindowUsage);

    /// <summary>Datagrams dropped for <paramref name="reason"/>.</summary>
    public long Dropped(DropReason reason) => Volatile.Read(ref _drops[(int)reason]);

    /// <summary>Datagrams dropped for any reason.</summary>
    public long DroppedTotal
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _drops.Length; i++)
            {
                total += Volatile.Read(ref _drops[i]);
            }

            return total;
        }
    }

    internal void Drop(DropReason reason) => Increment(ref _drops[(int)reason]);

    internal void TokenReceived() => Increment(ref _tokensReceived);

    internal void TokenRetransmitted() => Increment(ref _tokenRetransmits);

    internal void TokenLost() => Increment(ref _tokenLosses);

    internal void PacketSent() => Increment(ref _packetsSent);

    internal void PacketRetransmitted() => Increment(ref _packetsRetransmitted);

    internal void PacketReceived() => Increment(ref _packetsReceived);

    internal void ReassemblyError() => Increment(ref _reassemblyErrors);

    internal void MembershipMessage() => Increment(ref _membershipMessages);

    internal void Gathered() => Increment(ref _gathers);

    internal void ConfigurationDelivered(ConfigurationKind kind)
    {
        if (kind == ConfigurationKind.Regular)
        {
            Increment(ref _regularConfigurations);
        }
        else
        {
            Increment(ref _transitionalConfigurations);
        }
    }

    internal void ReceiveWindowUsed(long packets) => Volatile.Write(ref _receiveWindowUsage, packets);

    internal void Delivered(int bytes)
    {
        Increment(ref _messagesDelivered);
        Volatile.Write(ref _bytesDelivered, _bytesDelivered + bytes);
    }

    // Single writer: a plain read-add-write published with a volatile store is enough.
    private static void Increment(ref long counter) => Volatile.Write(ref counter, counter + 1);
}
