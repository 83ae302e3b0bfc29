using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Transport;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring;

/// <summary>
/// One member of one ring: a Totem engine driven over its own UDP socket by its own event-loop
/// thread. Any number of nodes (of the same or different rings) live in one process and share
/// nothing. Submitting is thread-safe; deliveries and configuration changes reach the
/// <see cref="IDeliveryHandler"/> on the node's thread, in ring order.
/// </summary>
public sealed class RingNode : IAsyncDisposable
{
    private readonly PacketPool _pool;
    private readonly OutboundQueue _outbound;
    private readonly TotemEngine _engine;
    private readonly UdpEventLoop _loop;
    private readonly NodeId[] _seeds;
    private readonly RingSequenceStore _sequenceStore;
    private ConfigurationChange? _configuration;
    private int _state;

    /// <summary>Validates <paramref name="options"/>, binds the socket and prepares the node; <see cref="Start"/> runs it.</summary>
    /// <exception cref="RingConfigurationException">A setting is wrong; the message says which and how to fix it.</exception>
    /// <param name="options">The node's settings.</param>
    /// <param name="handler">Receives messages and configuration changes on the node's thread.</param>
    /// <param name="timeProvider">The clock (tests may pass a fake one).</param>
    /// <param name="logger">Where configuration changes and ring events are logged.</param>
    public RingNode(RingOptions options, IDeliveryHandler? handler = null, TimeProvider? timeProvider = null, ILogger<RingNode>? logger = null)
    {
        ILogger log = logger ?? NullLogger<RingNode>.Instance;
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var listen = options.ListenEndPoint!;
        timeProvider ??= TimeProvider.System;
        Id = NodeId.FromEndPoint(listen);
        _seeds = [.. options.Seeds.Select(NodeId.FromEndPoint).Where(id => id != Id).Distinct()];
        _sequenceStore = new RingSequenceStore(options.StateDirectory, Id, timeProvider);
        var settings = TotemSettings.FromOptions(options);
        PacketProtector? protector = null;
        PacketCounterStore? counters = null;
        if (options.ClusterKey is { } key)
        {
            settings = settings with { KeyFingerprint = ClusterKeyDerivation.Fingerprint(key) };
            counters = new PacketCounterStore(options.StateDirectory, Id);
            ulong first = counters.Start(PacketProtector.FirstCounter(timeProvider.GetUtcNow()));
            protector = PacketProtector.Create(key, options.ClusterKeyMode, Id, first);
        }

        _pool = new PacketPool(options.MaxDatagramSize, maxRetained: (2 * options.ReceiveWindow) + options.SendQueueCapacity);
        _outbound = new OutboundQueue(_pool, options.SendQueueCapacity, options.MaxMessageSize, protector is null ? 0 : PacketProtector.TrailerSize);
        try
        {
            _loop = new UdpEventLoop(listen, Id, options.SocketBufferSize, _pool, handler, _sequenceStore, timeProvider, protector, counters);
        }
        catch
        {
            protector?.Dispose();
            throw;
        }

        _engine = new TotemEngine(Id, settings, _loop, _outbound, _pool);
        _outbound.BecameNonEmpty = _loop.SignalSubmissions;
        _loop.ConfigurationChanged += change =>
        {
            if (change.Kind == ConfigurationKind.Regular)
            {
                Volatile.Write(ref _configuration, change);
            }

            RingLog.LogConfiguration(log, change);
        };
        _loop.EventRaised += e =>
        {
            RingLog.Log(log, e);
            EventRaised?.Invoke(e);
        };
    }

    /// <summary>This node's id (derived from its endpoint).</summary>
    public NodeId Id { get; }

    /// <summary>The endpoint the node's socket is bound to.</summary>
    public IPEndPoint LocalEndPoint => _loop.LocalEndPoint;

    /// <summary>The node's counters.</summary>
    public RingCounters Counters => _engine.Counters;

    /// <summary>The regular configuration the node operates in; null until it forms or joins a ring.</summary>
    public ConfigurationChange? Configuration => Volatile.Read(ref _configuration);

    /// <summary>Completes when the node has stopped; faults if its event loop failed.</summary>
    public Task Completion => _loop.Completion;

    /// <summary>Largest message that travels in one datagram without fragmentation.</summary>
    public int UnfragmentedMessageCapacity => _outbound.PayloadCapacity;

    /// <summary>
    /// Raised, on the node's thread, for what an operator should hear about: a token loss, a member
    /// that left, a node with different settings, a one-way link. Keep handlers short.
    /// </summary>
    public event Action<RingEvent>? EventRaised;

    /// <summary>Starts the event loop and joins (or forms) the ring with the seeds.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The ring node was already started.");
        }

        ulong floor = _sequenceStore.LoadFloor();
        _loop.Run(_engine, (engine, now) => engine.StartJoining(_seeds, floor, now), $"SpreadNet ring {LocalEndPoint}");
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

    /// <summary>
    /// Leaves the ring gracefully (the members reform at once) and closes the socket. Messages not
    /// yet sent are dropped.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        await Task.Run(() =>
        {
            _loop.LeaveAndStop();
            _loop.Dispose();
        }).ConfigureAwait(false);
        _outbound.Close();
    }

    /// <summary>Stops at once without telling the members, as a crash would (for tests and benchmarks).</summary>
    internal async ValueTask CrashAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        await Task.Run(_loop.Dispose).ConfigureAwait(false);
        _outbound.Close();
    }
}
