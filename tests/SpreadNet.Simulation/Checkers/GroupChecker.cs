using SpreadNet.Ring.Verification.Groups;

namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Feeds every session's requests, sends, views, messages and end to the <see cref="GroupVerifier"/>
/// (delivery to members only, order, view shape and agreement, view order, virtual synchrony, safe
/// delivery, requests, final views once the run has settled); its violations are reported under the
/// property's name.
/// </summary>
public sealed class GroupChecker : Checker
{
    private readonly GroupVerifier _verifier;

    /// <summary>Creates the checker.</summary>
    public GroupChecker(SimulationRun run)
        : base(run) => _verifier = new GroupVerifier(run.Describe, v => Run.Report(v.Property, v.Message));

    /// <inheritdoc />
    public override string Name => "Groups";

    /// <summary>Records what <paramref name="session"/> did or was handed.</summary>
    public void Record(SessionKey session, SessionEntry entry) => _verifier.Record(session, entry);

    /// <inheritdoc />
    public override void AtEnd() => _verifier.Finish(settled: Run.Liveness.IsMet && !Run.Liveness.HasFailed);
}
