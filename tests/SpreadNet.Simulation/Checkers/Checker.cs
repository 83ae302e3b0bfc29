using SpreadNet.Ring.Totem;

namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// A property checked while a run goes: on every delivery, every datagram sent, after every event
/// and at the end. A checker reports what it sees broken through <see cref="Report"/>.
/// </summary>
public abstract class Checker
{
    /// <summary>Creates a checker of <paramref name="run"/>.</summary>
    protected Checker(SimulationRun run) => Run = run;

    /// <summary>Name used in violation reports.</summary>
    public abstract string Name { get; }

    /// <summary>The run being checked.</summary>
    protected SimulationRun Run { get; }

    /// <summary>Called on every delivery, inside the engine's call to the host.</summary>
    public virtual void OnDelivery(in DeliveryRecord delivery)
    {
    }

    /// <summary>Called on every configuration change, inside the engine's call to the host.</summary>
    public virtual void OnConfiguration(SimulatedNode node, ConfigurationChange change)
    {
    }

    /// <summary>Called when a node's engine accepts a submission into its outbound queue.</summary>
    public virtual void OnSubmitted(SimulatedNode node, Submission submission)
    {
    }

    /// <summary>Called when a node crashed or left (its <see cref="SimulatedNode.Status"/> says which).</summary>
    public virtual void OnIncarnationEnded(SimulatedNode node)
    {
    }

    /// <summary>Called for every datagram an engine sends, before the network sees it.</summary>
    public virtual void OnSend(SimulatedNode from, SimulatedNode to, ReadOnlySpan<byte> datagram)
    {
    }

    /// <summary>Called after every event (datagram, timer, submission, restart) has been handled at a running node.</summary>
    public virtual void AfterStep(SimulatedNode node)
    {
    }

    /// <summary>Called once when the run ends.</summary>
    public virtual void AtEnd()
    {
    }

    /// <summary>Records a violation.</summary>
    protected void Report(string message) => Run.Report(Name, message);
}
