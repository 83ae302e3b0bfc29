using System.Net;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Transport;

namespace SpreadNet.Ring;

/// <summary>
/// One member of one ring: a Totem engine driven over its own UDP socket by its own event-loop
/// thread. Any number of nodes (of the same or different rings) live in one process and share
/// nothing. Submitting is thread-safe; deliveries reach the <see cref="IDeliveryHandler"/> on the
/// node's thread, in ring order.
/// </summary>
public sealed class RingNode : IAsyncDisposable
{
    /// <summary>Sequence number of the ring formed from the configured member list.</summary>
    private const ulong StaticRingSequence = 4;

    private readonly PacketPool _pool;
    private readonly OutboundQueue _outbound;
    private readonly TotemEngine _engine;
    private readonly UdpEventLoop _loop;
    private readonly NodeId[] _members;
    private int _state;

    /// <summary>Validates <paramref name="options"/>, binds the socket and prepares the node; <see cref="Start"/> runs it.</summary>
    /// <exception cref="RingConfigurationException">A setting is wrong; the message says which and how to fix it.</exception>
    public RingNode(RingOptions options, IDeliveryHandler? handler = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var listen = options.ListenEndPoint!;
        Id = options.NodeId ?? NodeId.FromEndPoint(listen);
        var peers = new Dictionary<NodeId, IPEndPoint>();
        foreach (var member in options.Members)
        {
            var id = member.Equals(listen) ? Id : NodeId.FromEndPoint(member);
            if (!peers.TryAdd(id, member))
            {
                throw new RingConfigurationException(nameof(RingOptions.Members), $"has two endpoints with node id {id}", "give every member its own address and port");
            }
        }

        _members = [.. peers.Keys];
        var settings = TotemSettings.FromOptions(options);
        _pool = new PacketPool(options.MaxDatagramSize, maxRetained: options.ReceiveWindow + options.SendQueueCapacity);
        _outbound = new OutboundQueue(_pool, options.SendQueueCapacity, options.MaxMessageSize);
        _loop = new UdpEventLoop(listen, peers, Id, options.SocketBufferSize, _pool, handler, timeProvider ?? TimeProvider.System);
        _engine = new TotemEngine(Id, settings, _loop, _outbound, _pool);
        _outbound.BecameNonEmpty = _loop.SignalSubmissions;
    }

    /// <summary>This node's id.</summary>
    public NodeId Id { get; }

    /// <summary>The endpoint the node's socket is bound to.</summary>
    public IPEndPoint LocalEndPoint => _loop.LocalEndPoint;

    /// <summary>The node's counters.</summary>
    public RingCounters Counters => _engine.Counters;

    /// <summary>Completes when the node has stopped; faults if its event loop failed.</summary>
    public Task Completion => _loop.Completion;

    /// <summary>Largest message that travels in one datagram without fragmentation.</summary>
    public int UnfragmentedMessageCapacity => _outbound.PayloadCapacity;

    /// <summary>Starts the event loop and joins the ring.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The ring node was already started.");
        }

        _loop.Run(_engine, (engine, now) => engine.Start(_members, StaticRingSequence, now), $"SpreadNet ring {Id}");
    }

    /// <summary>
    /// Submits a message for ordered delivery at every member, copying it into a datagram buffer.
    /// Returns false when the send queue is full (the ring is slower than the submitters).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The message is larger than <see cref="RingOptions.MaxMessageSize"/>.</exception>
    public bool TrySubmit(ReadOnlySpan<byte> payload, ServiceType service = ServiceType.Agreed) =>
        _outbound.TryEnqueue(payload, service);

    /// <summary>Submits a message, waiting while the send queue is full (backpressure).</summary>
    public ValueTask SubmitAsync(ReadOnlyMemory<byte> payload, ServiceType service = ServiceType.Agreed, CancellationToken cancellationToken = default) =>
        _outbound.EnqueueAsync(payload, service, cancellationToken);

    /// <summary>Stops the event loop and closes the socket. Messages not yet sent are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        await Task.Run(_loop.Dispose).ConfigureAwait(false);
        _outbound.Close();
    }
}
