namespace SpreadNet.Ring.Groups;

/// <summary>
/// Where a message sits in the ring's total order: the same at every node that delivers it, and
/// increasing in delivery order within one ring configuration.
/// </summary>
/// <param name="Ring">The ring configuration the message was ordered in.</param>
/// <param name="Sequence">Sequence number of the packet that completed the message.</param>
/// <param name="Index">Position of the message inside that packet.</param>
public readonly record struct MessagePosition(RingId Ring, long Sequence, int Index);

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
