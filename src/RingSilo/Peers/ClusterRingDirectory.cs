using System.Net;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SpreadNet.RingSilo.Hosting;

namespace SpreadNet.RingSilo.Peers;

/// <summary>An active silo and what it advertises for one ring (null: it hosts no ring of that name).</summary>
internal sealed record PeerSilo(ClusterMember Member, RingAdvertisement? Advertisement);

/// <summary>
/// Which silo hosts which ring where, from Orleans cluster membership (which silos are joining or
/// active) and silo metadata (what each advertises, <see cref="RingAdvertisement"/>). Hands each
/// ring host the current set of peer endpoints whenever it changes, and names the silo behind a
/// ring endpoint for log messages. One per silo, shared by its rings.
/// </summary>
/// <remarks>
/// <para>
/// Why silo metadata rather than a port rule or a grain call of our own: it is Orleans' own data
/// per silo incarnation, fetched by every silo from every joining or active silo and dropped when
/// the silo is dead (later Orleans versions keep it in the membership table itself), visible to
/// Orleans' metadata placement filters, and it carries the settings as well as the endpoint, so
/// no silo has to run, secure and version a second discovery protocol. A port rule would fix every
/// silo's port layout and still need a way to compare settings.
/// </para>
/// <para>
/// Orleans 10.4 fetches a silo's metadata from that silo (a system-target call) once membership
/// shows it joining or active, a little after the membership update itself, and offers no
/// notification: silos seen without metadata are looked at again every
/// <see cref="PollInterval"/> until it arrives, for at most <see cref="GiveUpAfter"/>.
/// </para>
/// </remarks>
internal sealed partial class ClusterRingDirectory : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(1);

    private readonly IClusterMembershipService _membership;
    private readonly ISiloMetadataCache _metadata;
    private readonly SiloAddress _self;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, IReadOnlyDictionary<string, RingAdvertisement>> _advertised = [];
    private readonly Dictionary<SiloAddress, long> _awaitingSince = [];
    private readonly HashSet<SiloAddress> _withoutRings = [];
    private readonly Dictionary<string, Subscriber> _subscribers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _membershipChanged = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private ClusterMembershipSnapshot? _snapshot;
    private Task _watching = Task.CompletedTask;
    private int _disposed;

    public ClusterRingDirectory(IClusterMembershipService membership, ISiloMetadataCache metadata, ILocalSiloDetails silo, ILogger<ClusterRingDirectory> log)
    {
        _membership = membership;
        _metadata = metadata;
        _self = silo.SiloAddress;
        _time = TimeProvider.System;
        _log = log;
    }

    /// <summary>Just before the rings: membership has been read, the rings need peers.</summary>
    public const int LifecycleStage = SpreadRing.LifecycleStage - 10;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterRingDirectory), LifecycleStage, Start, Stop);

    /// <summary>
    /// Registers <paramref name="onPeers"/> to receive the ring endpoints of the other joining or
    /// active silos hosting ring <paramref name="ring"/>: now, and whenever the set changes.
    /// Called under the directory's lock, so that sets arrive in order: keep it short and non-blocking
    /// (<see cref="Ring.RingNode.UpdatePeers"/> only hands the set to the node's thread).
    /// </summary>
    public IDisposable Subscribe(string ring, Action<IReadOnlyList<IPEndPoint>> onPeers)
    {
        var subscriber = new Subscriber(onPeers);
        lock (_lock)
        {
            _subscribers[ring] = subscriber;
        }

        Refresh();
        return new Unsubscriber(this, ring, subscriber);
    }

    /// <summary>
    /// The other active silos and their advertisement of ring <paramref name="ring"/>, waiting up
    /// to <paramref name="timeout"/> for active silos whose metadata has not arrived yet; those
    /// still without metadata then are returned apart.
    /// </summary>
    public async Task<(IReadOnlyList<PeerSilo> Peers, IReadOnlyList<ClusterMember> Unknown)> GetActivePeersAsync(string ring, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        while (true)
        {
            Refresh();
            var peers = new List<PeerSilo>();
            var unknown = new List<ClusterMember>();
            lock (_lock)
            {
                foreach (var member in OtherMembers(SiloStatus.Active))
                {
                    if (_advertised.TryGetValue(member.SiloAddress, out var rings))
                    {
                        peers.Add(new PeerSilo(member, rings.GetValueOrDefault(ring)));
                    }
                    else if (!_withoutRings.Contains(member.SiloAddress))
                    {
                        unknown.Add(member);
                    }
                }
            }

            if (unknown.Count == 0 || _time.GetElapsedTime(started) >= timeout)
            {
                return (peers, unknown);
            }

            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>"silo NAME (address)" for the silo whose ring listens on <paramref name="ringEndPoint"/>; null if none is known.</summary>
    public string? DescribeSiloAt(IPEndPoint ringEndPoint)
    {
        lock (_lock)
        {
            foreach (var (silo, rings) in _advertised)
            {
                if (rings.Values.Any(r => r.EndPoint.Equals(ringEndPoint)))
                {
                    var name = _snapshot?.Members.GetValueOrDefault(silo)?.Name;
                    return Describe(name, silo);
                }
            }
        }

        return null;
    }

    /// <summary>How silos are named in messages: their Orleans name and address.</summary>
    public static string Describe(string? name, SiloAddress address) => new SiloName(name, address).ToString();

    /// <summary>Idempotent: the container disposes the directory once per registration.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        _membershipChanged.Dispose();
    }

    private Task Start(CancellationToken cancellationToken)
    {
        Refresh();
        var stopping = _stopping.Token;
        _watching = Task.WhenAll(
            Task.Run(() => WatchMembershipAsync(stopping), CancellationToken.None),
            Task.Run(() => AwaitMetadataAsync(stopping), CancellationToken.None));
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watching.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchMembershipAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    if (_snapshot is null || snapshot.Version >= _snapshot.Version)
                    {
                        _snapshot = snapshot;
                    }
                }

                Refresh();
                if (_membershipChanged.CurrentCount == 0)
                {
                    _membershipChanged.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
        catch (Exception ex)
        {
            Log.WatchFailed(_log, ex);
        }
    }

    /// <summary>Looks again at silos whose metadata has not arrived, until it has; sleeps while none is awaited.</summary>
    private async Task AwaitMetadataAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (Refresh())
                {
                    await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _membershipChanged.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>Reads what is new and hands changed peer sets to the rings; true while some silo's metadata is awaited.</summary>
    private bool Refresh()
    {
        lock (_lock)
        {
            var current = _membership.CurrentSnapshot;
            if (_snapshot is null || current.Version > _snapshot.Version)
            {
                _snapshot = current;
            }

            ReadAdvertisements();
            foreach (var (ring, subscriber) in _subscribers)
            {
                var peers = PeersOf(ring);
                if (subscriber.Last is null || !subscriber.Last.SequenceEqual(peers))
                {
                    subscriber.Last = peers;
                    subscriber.OnPeers(peers);
                }
            }

            return _awaitingSince.Count > 0;
        }
    }

    private void ReadAdvertisements()
    {
        var snapshot = _snapshot!;
        foreach (var member in OtherMembers(SiloStatus.Joining, SiloStatus.Active))
        {
            var silo = member.SiloAddress;
            if (_advertised.ContainsKey(silo) || _withoutRings.Contains(silo))
            {
                continue;
            }

            if (RingAdvertisement.TryReadSilo(_metadata.GetSiloMetadata(silo), out var rings))
            {
                _advertised[silo] = rings;
                _awaitingSince.Remove(silo);
            }
            else if (!_awaitingSince.TryGetValue(silo, out long since))
            {
                _awaitingSince[silo] = _time.GetTimestamp();
            }
            else if (_time.GetElapsedTime(since) > GiveUpAfter)
            {
                _awaitingSince.Remove(silo);
                _withoutRings.Add(silo);
                Log.SiloWithoutRings(_log, new SiloName(member.Name, silo), GiveUpAfter, RingAdvertisement.RingsKey);
            }
        }

        // Dead silos, and those membership has forgotten, keep no place here.
        Forget(_advertised.Keys, snapshot);
        Forget(_awaitingSince.Keys, snapshot);
        Forget(_withoutRings, snapshot);
    }

    private void Forget(IEnumerable<SiloAddress> silos, ClusterMembershipSnapshot snapshot)
    {
        foreach (var silo in silos.Where(s => snapshot.GetSiloStatus(s) is SiloStatus.Dead or SiloStatus.None).ToArray())
        {
            _advertised.Remove(silo);
            _awaitingSince.Remove(silo);
            _withoutRings.Remove(silo);
        }
    }

    /// <summary>Ring endpoints of the other joining or active silos hosting <paramref name="ring"/>, in a stable order.</summary>
    private IPEndPoint[] PeersOf(string ring) =>
        [.. OtherMembers(SiloStatus.Joining, SiloStatus.Active)
            .Select(m => _advertised.GetValueOrDefault(m.SiloAddress)?.GetValueOrDefault(ring)?.EndPoint)
            .OfType<IPEndPoint>()
            .OrderBy(e => e.ToString(), StringComparer.Ordinal)];

    private IEnumerable<ClusterMember> OtherMembers(params SiloStatus[] statuses) =>
        (_snapshot?.Members.Values ?? []).Where(m => !m.SiloAddress.Equals(_self) && statuses.Contains(m.Status));

    private void Unsubscribe(string ring, Subscriber subscriber)
    {
        lock (_lock)
        {
            if (_subscribers.TryGetValue(ring, out var current) && current == subscriber)
            {
                _subscribers.Remove(ring);
            }
        }
    }

    private sealed class Subscriber(Action<IReadOnlyList<IPEndPoint>> onPeers)
    {
        public Action<IReadOnlyList<IPEndPoint>> OnPeers { get; } = onPeers;

        public IPEndPoint[]? Last { get; set; }
    }

    private sealed class Unsubscriber(ClusterRingDirectory directory, string ring, Subscriber subscriber) : IDisposable
    {
        public void Dispose() => directory.Unsubscribe(ring, subscriber);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = (int)RingSiloLogEvent.SiloWithoutRings, Level = LogLevel.Information, Message = "{Silo} advertised no Spread rings within {Wait} (its silo metadata has no '{Key}' entry): it is not a ring peer.")]
        public static partial void SiloWithoutRings(ILogger logger, SiloName silo, TimeSpan wait, string key);

        [LoggerMessage(EventId = (int)RingSiloLogEvent.WatchFailed, Level = LogLevel.Error, Message = "Watching cluster membership for Spread ring peers failed: the rings' peers are no longer updated.")]
        public static partial void WatchFailed(ILogger logger, Exception exception);
    }

    /// <summary>A silo as named in messages: its Orleans name and address, formatted only when written.</summary>
    internal readonly record struct SiloName(string? Name, SiloAddress Address)
    {
        public override string ToString() => string.IsNullOrEmpty(Name) ? $"silo {Address}" : $"silo {Name} ({Address})";
    }
}
