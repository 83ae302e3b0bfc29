using System.Net;
using Orleans;
using SpreadNet.Ring;

namespace SpreadNet.RingSilo;

/// <summary>
/// One Spread ring hosted by this silo, as other components see it (stream providers, grains,
/// services): resolve it through <see cref="ISpreadRings"/> or as a keyed service named after the
/// ring, at any time; its <see cref="Node"/> runs from silo lifecycle stage
/// <see cref="LifecycleStage"/>, before application services, streams and grains, until the silo
/// stops, when it leaves the ring gracefully.
/// </summary>
public sealed class SpreadRing
{
    /// <summary>
    /// The silo lifecycle stage at which rings start and, on the way down, leave: after the
    /// membership table is read (<see cref="ServiceLifecycleStage.RuntimeGrainServices"/>), before
    /// the silo joins the cluster (<see cref="ServiceLifecycleStage.AfterRuntimeGrainServices"/>),
    /// so the ring is up before the silo becomes active and stream agents start.
    /// </summary>
    public const int LifecycleStage = ServiceLifecycleStage.RuntimeGrainServices + 50;

    private RingNode? _node;

    internal SpreadRing(string name)
    {
        Name = name;
    }

    /// <summary>The ring's name (as passed to <c>AddSpreadRing</c>).</summary>
    public string Name { get; }

    /// <summary>Whether the ring node runs (from <see cref="LifecycleStage"/> until the silo stops).</summary>
    public bool IsRunning => Volatile.Read(ref _node) is not null;

    /// <summary>The endpoint the ring listens on and advertises, once it runs.</summary>
    public IPEndPoint? EndPoint => Volatile.Read(ref _node)?.LocalEndPoint;

    /// <summary>The ring node of this silo: open sessions on it to join groups and multicast.</summary>
    /// <exception cref="InvalidOperationException">The ring does not run (the silo has not reached <see cref="LifecycleStage"/>, or has stopped).</exception>
    public RingNode Node => Volatile.Read(ref _node) ?? throw new InvalidOperationException(
        $"Spread ring '{Name}' is not running: it runs from silo lifecycle stage {LifecycleStage} (before ApplicationServices) until the silo stops. Use it from application services, grains or stream providers, or after the silo has started.");

    internal void Attach(RingNode node) => Volatile.Write(ref _node, node);

    internal void Detach() => Volatile.Write(ref _node, null);

    /// <inheritdoc />
    public override string ToString() => $"Spread ring '{Name}' ({(IsRunning ? EndPoint!.ToString() : "not running")})";
}
