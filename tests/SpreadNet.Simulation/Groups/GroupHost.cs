using System.Globalization;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Verification;
using SpreadNet.Ring.Verification.Groups;

namespace SpreadNet.Simulation.Groups;

/// <summary>
/// One node incarnation's group layer and sessions, wired as <c>RingNode</c> wires them: the layer
/// queues its announcements in the node's outbound queue, gets the group-layer deliveries and the
/// configuration changes, and hands the sessions their events. A crash or leave makes every session
/// vanish (the next incarnation opens fresh ones, with new names).
/// </summary>
public sealed class GroupHost
{
    private readonly SimulatedNode _node;
    private readonly List<SimulatedSession> _sessions = [];
    private RingConfigured? _regular;
    private RingConfigured? _transitional;
    private uint _nextSession;

    internal GroupHost(SimulatedNode node, GroupDriver driver, OutboundQueue outbound)
    {
        _node = node;
        Driver = driver;
        Layer = new GroupLayer(node.Id, outbound, node.Pool);
    }

    /// <summary>The node hosting the sessions.</summary>
    public SimulatedNode Node => _node;

    /// <summary>Sessions open (neither ended nor vanished).</summary>
    public IReadOnlyList<SimulatedSession> Sessions => _sessions;

    /// <summary>Group-layer messages the layer was handed.</summary>
    public long Deliveries { get; private set; }

    internal GroupLayer Layer { get; }

    internal GroupDriver Driver { get; }

    /// <summary>Opens the sessions a node opens when it starts.</summary>
    public void OpenInitialSessions(long now) => Driver.OpenInitialSessions(this, now);

    /// <summary>Opens a session (names are unique per node over all incarnations: s{number}.{incarnation}).</summary>
    public SimulatedSession Open()
    {
        uint id = ++_nextSession;
        string name = string.Create(CultureInfo.InvariantCulture, $"s{id}.{_node.Incarnation}");
        var session = new SimulatedSession(this, id, name, Driver.DrawPrefersCopies(), Driver.Knobs.RetainDepth);
        if (session.Member.Name != session.Key.PrivateName || !Layer.TryRegister(session))
        {
            throw new InvalidOperationException($"n{_node.Index}: session {name} could not be registered as {session.Key.PrivateName}.");
        }

        _sessions.Add(session);
        Driver.Opened(session);

        // A session opened in the middle of a configuration starts from the node's current one.
        if (_regular is not null)
        {
            session.Configured(_regular);
        }

        if (_transitional is not null)
        {
            session.Configured(_transitional);
        }

        return session;
    }

    /// <summary>A group-layer delivery of the engine, handed to the layer as <c>UdpEventLoop</c> does.</summary>
    internal void OnDelivery(in Delivery delivery)
    {
        Deliveries++;
        Layer.OnDelivery(delivery);
    }

    /// <summary>A configuration change: recorded for every session, then handed to the layer.</summary>
    internal void OnConfiguration(ConfigurationChange change)
    {
        var configured = new RingConfigured(
            change.Kind == ConfigurationKind.Regular ? ConfigKind.Regular : ConfigKind.Transitional,
            change.Ring,
            change.PreviousRing,
            [.. change.Members]);
        if (change.Kind == ConfigurationKind.Regular)
        {
            (_regular, _transitional) = (configured, null);
        }
        else
        {
            _transitional = configured;
            if (Layer.ExchangeUnderway)
            {
                Driver.CutShort();
            }
        }

        foreach (var session in _sessions)
        {
            session.Configured(configured);
        }

        Layer.OnConfiguration(change);
    }

    /// <summary>Queues a session's message behind the node's other submissions.</summary>
    internal void Submit(byte[] message, ServiceType service, long now) => _node.SubmitGroup(message, service, now);

    /// <summary>The layer ended a session.</summary>
    internal void Ended(SimulatedSession session) => _sessions.Remove(session);

    /// <summary>The node stopped: every session vanishes.</summary>
    internal void Vanish()
    {
        foreach (var session in _sessions)
        {
            session.Vanish();
        }

        _sessions.Clear();
    }
}
