namespace SpreadNet.Ring.Groups;

/// <summary>
/// Where a message sits in the ring's total order: the same at every node that delivers it, and
/// increasing in delivery order, within one ring configuration and across the configurations a
/// node installs (their sequences grow). Compared by configuration sequence, then packet sequence,
/// then index; two configurations with one sequence but different representatives (partitions,
/// never both installed by one node) are ordered by representative so that the order agrees with
/// equality.
/// </summary>
/// <param name="Ring">The ring configuration the message was ordered in.</param>
/// <param name="Sequence">Sequence number of the packet that completed the message.</param>
/// <param name="Index">Position of the message inside that packet.</param>
public readonly record struct MessagePosition(RingId Ring, long Sequence, int Index) : IComparable<MessagePosition>
{
    /// <inheritdoc />
    public int CompareTo(MessagePosition other)
    {
        int c = Ring.Sequence.CompareTo(other.Ring.Sequence);
        if (c == 0)
        {
            c = Ring.Representative.CompareTo(other.Ring.Representative);
        }

        if (c == 0)
        {
            c = Sequence.CompareTo(other.Sequence);
        }

        return c != 0 ? c : Index.CompareTo(other.Index);
    }

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(MessagePosition left, MessagePosition right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(MessagePosition left, MessagePosition right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/> or is it.</summary>
    public static bool operator <=(MessagePosition left, MessagePosition right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/> or is it.</summary>
    public static bool operator >=(MessagePosition left, MessagePosition right) => left.CompareTo(right) >= 0;
}

/// <summary>
/// A message received by a session. Its payload is a slice of the ring's pooled receive buffer,
/// not a copy: dispose the message when done with the payload, and copy what you keep beyond.
/// </summary>
public readonly struct RingMessage : IDisposable
{
    private readonly PayloadLease? _lease;
    private readonly int _generation;

    internal RingMessage(GroupMember sender, IReadOnlyList<string> groups, ServiceType service, MessagePosition position, PayloadLease lease)
    {
        Sender = sender;
        Groups = groups;
        Service = service;
        Position = position;
        _lease = lease;
        _generation = lease.Generation;
        PayloadLength = lease.Length;
    }

    /// <summary>The sending session.</summary>
    public GroupMember Sender { get; }

    /// <summary>The groups the message was sent to (one message to several groups arrives once).</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>The service type it was sent with.</summary>
    public ServiceType Service { get; }

    /// <summary>Its position in the ring's total order.</summary>
    public MessagePosition Position { get; }

    /// <summary>Length of the payload in bytes.</summary>
    public int PayloadLength { get; }

    /// <summary>The payload, valid until the message is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The message was disposed.</exception>
    public ReadOnlyMemory<byte> Payload => _lease is null ? default : _lease.Memory(_generation);

    /// <summary>Returns the payload's buffer to the ring. Disposing twice does nothing.</summary>
    public void Dispose() => _lease?.Release(_generation);
}
