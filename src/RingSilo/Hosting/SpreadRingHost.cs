using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;
using SpreadNet.RingSilo.Peers;

namespace SpreadNet.RingSilo.Hosting;

/// <summary>
/// Runs one ring of the silo for the silo's lifetime: at <see cref="SpreadRing.LifecycleStage"/> it
/// refuses to start if an active silo's ring of the same name has different settings, then starts
/// the ring node with the active silos' rings as seeds and keeps its peers in step with cluster
/// membership; when the silo stops, the node leaves the ring gracefully.
/// </summary>
internal sealed partial class SpreadRingHost : ILifecycleParticipant<ISiloLifecycle>
{
    private const string UnknownSilo = "an endpoint no silo advertises (yet)";

    private readonly string _name;
    private readonly LocalRings _rings;
    private readonly ClusterRingDirectory _directory;
    private readonly SpreadRing _handle;
    private readonly IOptions<SiloMetadata> _siloMetadata;
    private readonly ILogger<RingNode> _nodeLog;
    private readonly IMeterFactory? _meterFactory;
    private readonly ILogger _log;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPEndPoint, SettingDifference> _unnamedMismatches = new();
    private RingNode? _node;
    private IDisposable? _peerSubscription;

    private SpreadRingHost(string name, IServiceProvider services)
    {
        _name = name;
        _rings = services.GetRequiredService<LocalRings>();
        _directory = services.GetRequiredService<ClusterRingDirectory>();
        _handle = services.GetRequiredKeyedService<SpreadRing>(name);
        _siloMetadata = services.GetRequiredService<IOptions<SiloMetadata>>();
        _nodeLog = services.GetRequiredService<ILogger<RingNode>>();
        _meterFactory = services.GetService<IMeterFactory>();
        _log = services.GetRequiredService<ILogger<SpreadRingHost>>();
    }

    /// <summary>The host of ring <paramref name="name"/>.</summary>
    public static SpreadRingHost Create(IServiceProvider services, string name) => new(name, services);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SpreadRing)}-{_name}", SpreadRing.LifecycleStage, StartAsync, StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var ring = _rings.Get(_name);
        var self = ring.Advertisement;
        var silo = _rings.Silo;
        EnsureAdvertised();

        var (peers, unknown) = await _directory.GetActivePeersAsync(_name, ring.Options.PeerAdvertisementTimeout, cancellationToken).ConfigureAwait(false);
        if (unknown.Count > 0)
        {
            Log.AdvertisementsMissing(_log, _name, string.Join(", ", unknown.Select(m => ClusterRingDirectory.Describe(m.Name, m.SiloAddress))), ring.Options.PeerAdvertisementTimeout);
        }

        var seeds = new List<IPEndPoint>();
        foreach (var peer in peers)
        {
            if (peer.Advertisement is not { } theirs)
            {
                continue;
            }

            if (self.Settings.FirstDifference(theirs.Settings) is { } difference)
            {
                throw new OrleansConfigurationException(
                    $"Silo {silo.Name} ({silo.SiloAddress}) cannot join Spread ring '{_name}': its {difference.Setting} is {difference.Mine}, "
                    + $"but active {ClusterRingDirectory.Describe(peer.Member.Name, peer.Member.SiloAddress)} has {difference.Theirs}. "
                    + $"Fix: {difference.Fix} (AddSpreadRing(\"{_name}\", ...) on every silo), then start this silo again. "
                    + $"Ring endpoints: this silo {self.EndPoint}, the other {theirs.EndPoint}.");
            }

            seeds.Add(theirs.EndPoint);
        }

        var node = CreateNode(ring, seeds);
        node.EventRaised += OnRingEvent;
        Log.RingStarting(_log, _name, node.LocalEndPoint, seeds.Count, new EndPoints(seeds));
        node.Start();
        _node = node;
        _ = node.Completion.ContinueWith(ReportFault, node, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _peerSubscription = _directory.Subscribe(_name, peerSet =>
        {
            Log.PeersChanged(_log, _name, peerSet.Count, new EndPoints(peerSet));
            node.UpdatePeers(peerSet);
            NameEarlierMismatches();
        });
        _handle.Attach(node);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        _peerSubscription?.Dispose();
        _handle.Detach();
        if (_node is { } node)
        {
            _node = null;
            var endPoint = node.LocalEndPoint;
            await node.DisposeAsync().ConfigureAwait(false);
            node.EventRaised -= OnRingEvent;
            Log.RingStopped(_log, _name, endPoint);
        }
    }

    /// <summary>Orleans reads the advertisement lazily (<see cref="SpreadRingSiloBuilderExtensions"/>); a silo that did not publish it would wait alone.</summary>
    private void EnsureAdvertised()
    {
        if (!_siloMetadata.Value.Metadata.ContainsKey(RingAdvertisement.KeyOf(_name)))
        {
            throw new InvalidOperationException(
                $"Spread ring '{_name}' is missing from this silo's metadata, so other silos cannot find it. Orleans' silo metadata registration may have changed; report this with the Orleans version in use.");
        }
    }

    private RingNode CreateNode(LocalRing ring, IReadOnlyList<IPEndPoint> seeds)
    {
        try
        {
            return new RingNode(ring.CreateRingOptions(seeds), logger: _nodeLog, meterFactory: _meterFactory);
        }
        catch (SocketException ex)
        {
            throw new OrleansConfigurationException(
                $"Spread ring '{_name}' cannot listen on UDP {ring.Advertisement.EndPoint}: {ex.Message}. Give it a free port (SpreadRingOptions.Port; 0 picks any free port) or an address of this host (ListenAddress).",
                ex);
        }
    }

    /// <summary>The ring names nodes by address; say which silo that is. Runs on the node's thread.</summary>
    private void OnRingEvent(RingEvent ringEvent)
    {
        if (ringEvent.Peer.IsNone)
        {
            return;
        }

        var endPoint = ringEvent.Peer.ToEndPoint();
        var peerSilo = _directory.DescribeSiloAt(endPoint);
        switch (ringEvent)
        {
            case { Kind: RingEventKind.SettingsMismatch, Difference: { } difference }:
                if (peerSilo is null)
                {
                    // The peer's ring was heard before its silo's metadata arrived: name it once it has.
                    _unnamedMismatches[endPoint] = difference;
                    NameEarlierMismatches();
                }
                else
                {
                    LogMismatch(peerSilo, endPoint, difference);
                }

                break;
            case { Kind: RingEventKind.VersionMismatch or RingEventKind.OneWayLink or RingEventKind.FailedToReceive }:
                Log.PeerProblem(_log, _name, ringEvent.Kind, peerSilo ?? UnknownSilo, endPoint);
                break;
            default:
                // Merges, leaves, token losses: the node's own log line says enough.
                Log.PeerEvent(_log, _name, ringEvent.Kind, peerSilo ?? UnknownSilo, endPoint);
                break;
        }
    }

    private void NameEarlierMismatches()
    {
        foreach (var (endPoint, difference) in _unnamedMismatches)
        {
            if (_directory.DescribeSiloAt(endPoint) is { } peerSilo && _unnamedMismatches.TryRemove(endPoint, out _))
            {
                LogMismatch(peerSilo, endPoint, difference);
            }
        }
    }

    private void LogMismatch(string peerSilo, IPEndPoint endPoint, SettingDifference difference)
    {
        var silo = _rings.Silo;
        Log.SettingsMismatch(_log, _name, peerSilo, endPoint, difference.Setting, difference.Theirs, new ClusterRingDirectory.SiloName(silo.Name, silo.SiloAddress), difference.Mine, difference.Fix);
    }

    private void ReportFault(Task completion, object? state) =>
        Log.RingFaulted(_log, completion.Exception!.GetBaseException(), _name, ((RingNode)state!).LocalEndPoint);

    /// <summary>Endpoints, formatted only if the message is written.</summary>
    private readonly record struct EndPoints(IReadOnlyList<IPEndPoint> List)
    {
        public override string ToString() => List.Count == 0 ? "none" : string.Join(", ", List);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = (int)RingSiloLogEvent.RingStarting, Level = LogLevel.Information, Message = "Spread ring {Ring} starting on {EndPoint} with the rings of {SeedCount} active silo(s) as seeds: {Seeds}")]
        public static partial void RingStarting(ILogger logger, string ring, IPEndPoint endPoint, int seedCount, EndPoints seeds);

        [LoggerMessage(EventId = (int)RingSiloLogEvent.RingStopped, Level = LogLevel.Information, Message = "Spread ring {Ring} on {EndPoint} left the ring and stopped")]
        public static partial void RingStopped(ILogger logger, string ring, IPEndPoint endPoint);

        [LoggerMessage(EventId = (int)RingSiloLogEvent.PeersChanged, Level = LogLevel.Debug, Message = "Spread ring {Ring} peers from cluster membership ({Count}): {Peers}")]
        public static partial void PeersChanged(ILogger logger, string ring, int count, EndPoints peers);

        [LoggerMessage(EventId = (int)RingSiloLogEvent.SettingsMismatch, Level = LogLevel.Error, Message = "Spread ring {Ring}: {PeerSilo} (ring endpoint {PeerEndPoint}) has {Setting} = {Theirs}, but {LocalSilo} has {Mine}: their rings will not form one ring. Fix: {Fix} (AddSpreadRing on every silo).")]
        public static partial void SettingsMismatch(ILogger logger, string ring, string peerSilo, IPEndPoint peerEndPoint, string setting, string theirs, ClusterRingDirectory.SiloName localSilo, string mine, string fix);

        [LoggerMessage(EventId = (int)RingSiloLogEvent.AdvertisementsMissing, Level = LogLevel.Warning, Message = "Spread ring {Ring}: no ring advertisement arrived from active {Silos} within {Timeout}; starting without comparing settings with them (the ring still refuses, and reports, a node whose settings differ).")]
        public static partial void AdvertisementsMissing(ILogger logger, string ring, string silos, TimeSpan timeout);

        [LoggerMessage(EventId = (int)RingSiloLogEvent.RingFaulted, Level = LogLevel.Error, Message = "Spread ring {Ring} on {EndPoint} stopped with an error: this silo is out of the ring until it restarts.")]
        public static partial void RingFaulted(ILogger logger, Exception exception, string ring, IPEndPoint endPoint);

        [LoggerMessage(EventId = (int)RingSiloLogEvent.PeerProblem, Level = LogLevel.Warning, Message = "Spread ring {Ring}: {Kind} concerning {PeerSilo} (ring endpoint {PeerEndPoint})")]
        public static partial void PeerProblem(ILogger logger, string ring, RingEventKind kind, string peerSilo, IPEndPoint peerEndPoint);

        [LoggerMessage(EventId = (int)RingSiloLogEvent.PeerEvent, Level = LogLevel.Debug, Message = "Spread ring {Ring}: {Kind} concerning {PeerSilo} (ring endpoint {PeerEndPoint})")]
        public static partial void PeerEvent(ILogger logger, string ring, RingEventKind kind, string peerSilo, IPEndPoint peerEndPoint);
    }
}
