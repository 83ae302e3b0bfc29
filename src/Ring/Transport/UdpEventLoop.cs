using System.Net;
using System.Net.Sockets;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Transport;

/// <summary>
/// Drives one engine over one UDP socket on a dedicated thread: waits for a datagram or the
/// earliest timer, feeds the engine, and sends what the engine asks synchronously. Submitters on
/// other threads wake a sleeping loop with a tiny datagram to its own socket, which costs nothing
/// while the loop is busy. With a cluster key, every datagram is sealed on its way out and opened
/// on its way in (UdpEventLoop.Sealing.cs); without one, datagrams go as they are.
/// </summary>
internal sealed partial class UdpEventLoop : IEngineHost, IDisposable
{
    private const int MaxIdleWaitMicros = 100_000;
    private const int ReceiveBatch = 64;
    private const int SolSocket = 1;
    private const int SoSndBufForce = 32;
    private const int SoRcvBufForce = 33;

    private readonly Socket _socket;
    private const int MaxCachedAddresses = 4096;

    private readonly Dictionary<NodeId, SocketAddress> _addresses = [];
    private readonly SocketAddress _selfAddress;
    private readonly SocketAddress _receiveAddress;
    private readonly MonotonicClock _clock;
    private readonly TimerSlots _timers = new();
    private readonly PacketPool _pool;
    private readonly IDeliveryHandler? _handler;
    private readonly RingSequenceStore _sequenceStore;
    private readonly byte[] _wakeDatagram = new byte[PacketHeader.Size];
    private readonly PacketProtector? _protector;
    private readonly PacketCounterStore? _counters;
    private readonly AuthenticationReporter _reporter;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _sealed;
    private TotemEngine? _engine;
    private Thread? _thread;
    private volatile bool _stopping;
    private volatile bool _leaveRequested;
    private int _sleeping;
    private int _submitSignal;
    private NodeId[]? _pendingPeers;
    private long _sendErrors;
    private long _receiveErrors;

    public UdpEventLoop(IPEndPoint listen, NodeId self, int socketBufferSize, PacketPool pool, IDeliveryHandler? handler, RingSequenceStore sequenceStore, TimeProvider timeProvider, PacketProtector? protector = null, PacketCounterStore? counters = null)
    {
        _protector = protector;
        _counters = protector is null ? null : counters ?? new PacketCounterStore(null, self);
        _sealed = protector is null ? [] : new byte[pool.BufferSize + PacketProtector.TrailerSize];
        _reporter = new AuthenticationReporter(self);
        _pool = pool;
        _handler = handler;
        _sequenceStore = sequenceStore;
        _clock = new MonotonicClock(timeProvider);
        _socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            ConfigureBuffers(_socket, socketBufferSize);
            _socket.Bind(listen);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _selfAddress = LocalEndPoint.Serialize();
        _receiveAddress = new SocketAddress(listen.AddressFamily);

        new PacketHeader(PacketType.Wake, 0, PacketHeader.Size, self, default).Write(_wakeDatagram);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Receives the group layer's messages and every configuration change; set before <see cref="Run"/>.</summary>
    public Groups.GroupLayer? Groups { get; set; }

    public Task Completion => _completion.Task;

    /// <summary>Raised on the loop thread for every <see cref="RingEvent"/> the engine reports.</summary>
    public event Action<RingEvent>? EventRaised;

    /// <summary>Raised on the loop thread for every configuration change, after the handler saw it.</summary>
    public event Action<ConfigurationChange>? ConfigurationChanged;

    public long SendErrors => Volatile.Read(ref _sendErrors);

    public long ReceiveErrors => Volatile.Read(ref _receiveErrors);

    /// <summary>Starts the loop thread; <paramref name="start"/> runs first on that thread.</summary>
    public void Run(TotemEngine engine, Action<TotemEngine, long> start, string threadName)
    {
        _engine = engine;
        _thread = new Thread(() => Loop(start))
        {
            IsBackground = true,
            Name = threadName,
        };
        _thread.Start();
    }

    /// <summary>Called by submitters after the outbound queue went from empty to not empty.</summary>
    public void SignalSubmissions()
    {
        Volatile.Write(ref _submitSignal, 1);
        if (Volatile.Read(ref _sleeping) == 1)
        {
            Wake();
        }
    }

    /// <summary>
    /// Hands the engine a new peer set on the loop thread. Only the latest set matters, so a newer
    /// one replaces one not yet taken: nothing queues up however often it is called.
    /// </summary>
    public void SetPeers(NodeId[] peers)
    {
        Interlocked.Exchange(ref _pendingPeers, peers);
        if (Volatile.Read(ref _sleeping) == 1)
        {
            Wake();
        }
    }

    /// <summary>Leaves the ring gracefully (the engine tells the members), then stops the loop.</summary>
    public void LeaveAndStop()
    {
        _leaveRequested = true;
        Stop();
    }

    /// <summary>Stops the loop without a word to the other members, as a crash would.</summary>
    public void Stop()
    {
        _stopping = true;
        if (_thread is null)
        {
            _completion.TrySetResult();
            return;
        }

        Wake();
        if (_thread != Thread.CurrentThread)
        {
            _thread.Join();
        }
    }

    public void Dispose()
    {
        Stop();
        _socket.Dispose();
        _protector?.Dispose();
    }

    void IEngineHost.Send(NodeId destination, ReadOnlySpan<byte> datagram)
    {
        if (_protector is not null)
        {
            datagram = Seal(datagram);
        }

        SendTo(destination, datagram);
    }

    void IEngineHost.SendToEach(ReadOnlySpan<NodeId> destinations, NodeId except, byte[] buffer, int length)
    {
        var datagram = _protector is null ? buffer.AsSpan(0, length) : SealHeld(buffer, length);
        foreach (var destination in destinations)
        {
            if (destination != except)
            {
                SendTo(destination, datagram);
            }
        }
    }

    void IEngineHost.Deliver(in Delivery delivery)
    {
        if (delivery.Kind == EntryKind.Group)
        {
            Groups?.OnDelivery(delivery);
        }
        else
        {
            _handler?.OnDelivery(delivery);
        }
    }

    void IEngineHost.SetTimer(TimerKind kind, long dueMicros) => _timers.Set(kind, dueMicros);

    void IEngineHost.DeliverConfiguration(ConfigurationChange change)
    {
        _handler?.OnConfiguration(change);
        Groups?.OnConfiguration(change);
        ConfigurationChanged?.Invoke(change);
    }

    void IEngineHost.Notify(RingEvent ringEvent) => EventRaised?.Invoke(ringEvent);

    void IEngineHost.SaveRingSequence(ulong sequence) => _sequenceStore.Save(sequence);

    string IEngineHost.Describe(NodeId node) => node.ToEndPoint().ToString();

    private static void ConfigureBuffers(Socket socket, int size)
    {
        socket.ReceiveBufferSize = size;
        socket.SendBufferSize = size;
        if (OperatingSystem.IsLinux())
        {
            // Privileged processes may exceed net.core.rmem_max; others keep what the kernel allowed.
            TrySetRaw(socket, SoRcvBufForce, size);
            TrySetRaw(socket, SoSndBufForce, size);
        }
    }

    private static void TrySetRaw(Socket socket, int option, int value)
    {
        try
        {
            Span<byte> bytes = stackalloc byte[4];
            BitConverter.TryWriteBytes(bytes, value);
            socket.SetRawSocketOption(SolSocket, option, bytes);
        }
        catch (SocketException)
        {
            // Not permitted: the plain setting above stands.
        }
    }

    private void SendTo(NodeId destination, ReadOnlySpan<byte> datagram)
    {
        if (!_addresses.TryGetValue(destination, out var address))
        {
            if (_addresses.Count >= MaxCachedAddresses)
            {
                _addresses.Clear();
            }

            address = destination.ToEndPoint().Serialize();
            _addresses[destination] = address;
        }

        try
        {
            _socket.SendTo(datagram, SocketFlags.None, address);
        }
        catch (SocketException)
        {
            // A full send buffer or an unreachable peer is packet loss to the protocol, which recovers it.
            Interlocked.Increment(ref _sendErrors);
        }
    }

    private void Wake()
    {
        try
        {
            _socket.SendTo(_wakeDatagram, SocketFlags.None, _selfAddress);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nothing to wake.
        }
    }

    private void Loop(Action<TotemEngine, long> start)
    {
        var engine = _engine!;
        try
        {
            start(engine, _clock.NowMicros);
            while (!_stopping)
            {
                long now = _clock.NowMicros;
                while (_timers.TryTakeDue(now, out var kind))
                {
                    engine.OnTimer(kind, now);
                }

                if (Interlocked.Exchange(ref _submitSignal, 0) != 0)
                {
                    engine.OnSubmissionsReady(now);
                }

                if (Interlocked.Exchange(ref _pendingPeers, null) is { } peers)
                {
                    engine.UpdatePeers(peers, now);
                }

                if (WaitForDatagram(now))
                {
                    ReceiveAvailable(engine);
                }
            }

            if (_leaveRequested)
            {
                engine.Leave(_clock.NowMicros);
            }

            _completion.TrySetResult();
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
    }

    private bool WaitForDatagram(long now)
    {
        if (_socket.Available > 0)
        {
            return true;
        }

        long wait = Math.Clamp(_timers.EarliestDue() - now, 0, MaxIdleWaitMicros);
        if (wait == 0)
        {
            return false;
        }

        Volatile.Write(ref _sleeping, 1);
        try
        {
            // A submission or peer set that raced with going to sleep is waiting: do not sleep on it.
            return Volatile.Read(ref _submitSignal) == 0 && Volatile.Read(ref _pendingPeers) is null && _socket.Poll((int)wait, SelectMode.SelectRead);
        }
        finally
        {
            Volatile.Write(ref _sleeping, 0);
        }
    }

    private void ReceiveAvailable(TotemEngine engine)
    {
        for (int i = 0; i < ReceiveBatch && !_stopping; i++)
        {
            if (i > 0 && _socket.Available == 0)
            {
                return;
            }

            var buffer = _pool.Rent();
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, _receiveAddress);
            }
            catch (SocketException)
            {
                // ICMP errors surface here on some platforms; UDP has nothing to tear down.
                Interlocked.Increment(ref _receiveErrors);
                _pool.Return(buffer);
                continue;
            }

            if (_protector is not null)
            {
                ReceiveSealed(engine, buffer, received);
            }
            else if (PacketProtector.LooksSealed(buffer.AsSpan(0, received)))
            {
                DropUnauthenticated(engine, buffer, AuthenticationProblem.SealedWithoutKey, DropReason.BadAuthentication, SourceOf(_receiveAddress));
            }
            else
            {
                engine.OnDatagram(buffer, received, _clock.NowMicros);
            }
        }
    }
}
