using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Serialization;
using SpreadNet.Interfaces;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;
using SpreadNet.RingSilo;

namespace SpreadNet.Grains.Membership;

/// <summary>
/// The group service of one ring on this silo: a ring session per member registered here, one
/// silo session that sends for non-members and reads the member directory, and the pumps that
/// deliver each member's events in ring order. Every silo has its own; they share nothing but the
/// ring, so a group's traffic passes through no single place.
/// </summary>
internal sealed partial class GroupRing : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>
    /// The group every silo's session is in, carrying member announcements. Application group
    /// names cannot start with '~' here (<see cref="ValidateGroup"/>), so it cannot be joined by mistake.
    /// </summary>
    internal const string DirectoryGroup = "~spreadnet.groups";

    /// <summary>Prefix of the name of the silo's own session on the ring.</summary>
    internal const string SiloSessionPrefix = "~groups";

    /// <summary>Starts after the ring (<see cref="SpreadRing.LifecycleStage"/>), before grains get calls; stops before the ring leaves.</summary>
    private const int LifecycleStage = ServiceLifecycleStage.ApplicationServices;

    private readonly SpreadRing _ring;
    private readonly Serializer _serializer;
    private readonly SiloAddress _silo;
    private readonly SpreadGroupsOptions _options;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<GrainId, MemberSession> _members = new();
    private readonly CancellationTokenSource _stopping = new();
    private RingSession? _siloSession;
    private GroupMemberInfo? _siloInfo;
    private long _nextSession;

    internal GroupRing(string ringName, SpreadRing ring, Serializer serializer, SiloAddress silo, SpreadGroupsOptions options, TimeProvider time, ILogger log)
    {
        RingName = ringName;
        _ring = ring;
        _serializer = serializer;
        _silo = silo;
        _options = options;
        _log = log;
        Directory = new MemberDirectory(time, options.IdentityTimeout, options.DepartedRetention);
    }

    public string RingName { get; }

    /// <summary>
    /// The silo's own session name, with the silo's generation: a ring node keeps its node id
    /// (address and port) across silo restarts, and a name reused by the next incarnation would
    /// resolve, at a silo that still holds the departed entry, to the previous incarnation's identity.
    /// </summary>
    internal string SiloSessionName => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{SiloSessionPrefix}.{_silo.Generation:x}");

    public MemberDirectory Directory { get; }

    /// <summary>Members registered at this silo.</summary>
    public int MemberCount => _members.Count;

    public static GroupRing Create(IServiceProvider services, string ring) => new(
        ring,
        services.GetRequiredKeyedService<SpreadRing>(ring),
        services.GetRequiredService<Serializer>(),
        services.GetRequiredService<ILocalSiloDetails>().SiloAddress,
        services.GetRequiredService<IOptionsMonitor<SpreadGroupsOptions>>().Get(ring),
        services.GetService<TimeProvider>() ?? TimeProvider.System,
        services.GetService<ILoggerFactory>()?.CreateLogger<GroupRing>() ?? NullLogger<GroupRing>.Instance);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"SpreadGroups-{RingName}", LifecycleStage, StartAsync, StopAsync);

    public void Dispose() => _stopping.Dispose();

    /// <summary>Throws with an explanation when <paramref name="group"/> cannot name an application group.</summary>
    internal static void ValidateGroup(string group)
    {
        GroupKeys.ValidateGroup(group);
        if (group[0] == '~')
        {
            throw new ArgumentException($"The group name '{group}' starts with '~', which group grains keep for their own groups; choose a name that does not.", nameof(group));
        }
    }

    /// <summary>Adds a member to a group; see <see cref="IGroupGrain.JoinAsync"/>.</summary>
    public async Task JoinAsync(IGroupMember member, string group)
    {
        ArgumentNullException.ThrowIfNull(member);
        ValidateGroup(group);
        var id = member.GetGrainId();
        while (true)
        {
            var entry = GetOrOpen(id, member);
            await entry.Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                if (entry.Ended)
                {
                    continue; // it ended meanwhile (a leave of its last group, or a removal): open a new one
                }

                await entry.Announced.ConfigureAwait(false);
                if (!entry.Groups.Contains(group))
                {
                    await entry.Session.JoinAsync(group).ConfigureAwait(false);
                    entry.Groups.Add(group);
                }

                return;
            }
            catch (Exception ex) when (ex is ObjectDisposedException || (ex is InvalidOperationException && entry.Ended))
            {
                // The session ended under the join (the member fell behind, or the ring is stopping):
                // its pump reports the end; the member gets a fresh session.
                ThrowIfStopping();
                _members.TryRemove(new KeyValuePair<GrainId, MemberSession>(entry.Id, entry));
            }
            finally
            {
                entry.Gate.Release();
            }
        }
    }

    /// <summary>Removes a member from a group (reason Leave); see <see cref="IGroupGrain.LeaveAsync"/>.</summary>
    public async Task LeaveAsync(IGroupMember member, string group)
    {
        ArgumentNullException.ThrowIfNull(member);
        ValidateGroup(group);
        if (!_members.TryGetValue(member.GetGrainId(), out var entry))
        {
            return;
        }

        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (entry.Ended || !entry.Groups.Contains(group))
            {
                return;
            }

            await entry.Session.LeaveAsync(group).ConfigureAwait(false);
            entry.Groups.Remove(group);
            if (entry.Groups.Count == 0)
            {
                // In no group any more: its session goes (others see nothing), after the self-leave view it still gets.
                await EndAsync(entry, silence: false).ConfigureAwait(false);
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>
    /// Removes a member from all its groups on this ring (reason Disconnect) and stops delivering to
    /// it: its grain is deactivating, or its client is gone.
    /// </summary>
    public Task RemoveAsync(GrainId id) =>
        _members.TryGetValue(id, out var entry) ? RemoveAsync(entry) : Task.CompletedTask;

    private async Task RemoveAsync(MemberSession entry)
    {
        entry.Silence();
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await EndAsync(entry, silence: true).ConfigureAwait(false);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Multicasts to a group; see <see cref="IGroupGrain.MulticastAsync"/>.</summary>
    public async Task MulticastAsync(string group, object? payload, GroupServiceType service, IGroupMember? sender)
    {
        ValidateGroup(group);
        if (!Enum.IsDefined(service))
        {
            throw new ArgumentOutOfRangeException(nameof(service), service, "Use a GroupServiceType value: Unreliable, Reliable, Fifo, Causal, Agreed (the default) or Safe.");
        }

        var siloSession = SiloSession();
        var senderId = sender?.GetGrainId();
        byte[] bytes = _serializer.SerializeToArray(new GroupEnvelope(payload, senderId));
        var session = senderId is { } id && _members.TryGetValue(id, out var entry) && !entry.Ended ? entry.Session : siloSession;
        try
        {
            await session.MulticastAsync(group, bytes, (ServiceType)service).ConfigureAwait(false);
        }
        catch (ObjectDisposedException) when (session != siloSession)
        {
            // The sender's session ended meanwhile: the message still goes, from the silo.
            await siloSession.MulticastAsync(group, bytes, (ServiceType)service).ConfigureAwait(false);
        }
    }

    private MemberSession GetOrOpen(GrainId id, IGroupMember member)
    {
        if (_members.TryGetValue(id, out var existing) && !existing.Ended)
        {
            return existing;
        }

        ThrowIfStopping();
        var node = _ring.Node;
        lock (_members)
        {
            if (_members.TryGetValue(id, out existing) && !existing.Ended)
            {
                return existing;
            }

            // Unique across incarnations of this silo too (see SiloSessionName): at most 2 + 8 + 1 + 16 characters.
            string name = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"~g{_silo.Generation:x}.{Interlocked.Increment(ref _nextSession):x}");
            var session = node.OpenSession(name, new RingSessionOptions
            {
                MaxQueuedMessages = _options.MaxQueuedEvents,
                MaxQueuedBytes = _options.MaxQueuedBytes,
            });
            var info = new GroupMemberInfo(session.Member.Name, id, _silo);
            var entry = new MemberSession(id, member, session, info);
            _members[id] = entry;
            Directory.Add([info]);

            // Sent through the member's own session before its first join: ordered before the
            // member's first view at every silo.
            entry.Announced = session.MulticastAsync(DirectoryGroup, _serializer.SerializeToArray(new DirectoryAnnouncement(false, [info]))).AsTask();
            // The pump outlives the join call that opened it: without this it would carry that call's
            // request context (RequestContext, Activity) into every delivery to the member, and
            // Orleans would copy it into every one of those calls.
            using (ExecutionContext.SuppressFlow())
            {
                entry.Pump = Task.Run(() => PumpAsync(entry));
            }
            return entry;
        }
    }

    private async Task EndAsync(MemberSession entry, bool silence)
    {
        if (silence)
        {
            entry.Silence();
        }

        if (!entry.MarkEnded())
        {
            return;
        }

        _members.TryRemove(new KeyValuePair<GrainId, MemberSession>(entry.Id, entry));
        await entry.Session.DisposeAsync().ConfigureAwait(false);
        await AnnounceAsync(departed: true, [entry.Info]).ConfigureAwait(false);
    }

    private async Task AnnounceAsync(bool departed, GroupMemberInfo[] members)
    {
        if (Volatile.Read(ref _siloSession) is not { } session || _stopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await session.MulticastAsync(DirectoryGroup, _serializer.SerializeToArray(new DirectoryAnnouncement(departed, members))).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The ring is stopping: every silo sees this one's members go with it.
        }
    }

    private RingSession SiloSession() =>
        Volatile.Read(ref _siloSession) ?? throw new InvalidOperationException(
            $"Spread groups on ring '{RingName}' are not running on this silo: they run from silo lifecycle stage ApplicationServices until the silo stops.");

    private void ThrowIfStopping()
    {
        if (_stopping.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Spread groups on ring '{RingName}' are stopping with this silo; join through another silo.");
        }
    }
}
