using SpreadNet.Ring;
using SpreadNet.Ring.Verification;

namespace SpreadNet.Simulation.Tests;

/// <summary>
/// The EVS verifier on hand-written logs: a correct partition and merge passes, and each property
/// catches the violation it names.
/// </summary>
public class EvsVerifierTests
{
    private static readonly NodeId A = new(1), B = new(2), C = new(3);
    private static readonly RingId R1 = new(A, 4), R2 = new(A, 8), R3 = new(C, 8), R4 = new(A, 12);
    private readonly EvsVerifier _verifier = new();

    [Fact]
    public void PartitionAndMerge_FollowingEvs_NoViolations()
    {
        // A, B, C in R1; C is cut off. A and B miss C#1 (a hole): after their transitional
        // configuration they deliver only what transitional members sent (B's Safe message, not
        // safe before). C delivered C#1 in regular R1, which EVS allows in another component.
        foreach (var node in new[] { A, B, C })
        {
            Install(node, R1, default, A, B, C);
            Deliver(node, Msg(A, 0), R1, 1);
        }

        Deliver(C, Msg(C, 1), R1, 2);
        Transition(A, R1, R2, A, B);
        Transition(B, R1, R2, A, B);
        foreach (var node in new[] { A, B })
        {
            Deliver(node, Msg(B, 0, safe: true), R1, 3);
            Install(node, R2, R1, A, B);
        }

        Transition(C, R1, R3, C);
        Install(C, R3, R1, C);
        Deliver(C, Msg(C, 2), R3, 1);

        // The partition heals: one ring of all three.
        foreach (var (node, previous) in new[] { (A, R2), (B, R2), (C, R3) })
        {
            Transition(node, previous, R4, previous == R2 ? [A, B] : [C]);
            Install(node, R4, previous, A, B, C);
            Deliver(node, Msg(A, 1), R4, 1);
        }

        Assert.Empty(_verifier.Finish());
    }

    [Fact]
    public void MembershipAgreement_SameRingDifferentMembers_Reported()
    {
        Install(A, R1, default, A, B);
        Install(B, R1, default, A, B, C);

        AssertReported(EvsProperty.MembershipAgreement);
    }

    [Fact]
    public void RingIdUniqueness_RestartReinstallsARing_Reported()
    {
        Install(A, R1, default, A);
        _verifier.Record(new Incarnation(A, 0), new Crashed());
        Install(A, R1, default, A, incarnation: 1);

        AssertReported(EvsProperty.RingIdUniqueness);
    }

    [Fact]
    public void ConfigurationSequence_RegularWithoutTransitional_Reported()
    {
        Install(A, R1, default, A, B);
        Install(A, R2, R1, A, B);

        AssertReported(EvsProperty.ConfigurationSequence);
    }

    [Fact]
    public void TotalOrder_TwoMessagesAtOnePosition_Reported()
    {
        Install(A, R1, default, A, B);
        Install(B, R1, default, A, B);
        Deliver(A, Msg(A, 0), R1, 1);
        Deliver(B, Msg(B, 0), R1, 1);

        AssertReported(EvsProperty.TotalOrder);
    }

    [Fact]
    public void TotalOrder_PositionGoesBack_Reported()
    {
        Install(A, R1, default, A);
        Deliver(A, Msg(A, 0), R1, 2);
        Deliver(A, Msg(A, 1), R1, 1);

        AssertReported(EvsProperty.TotalOrder);
    }

    [Fact]
    public void DeliveryConfiguration_OldRingMessageAfterTheNewRegular_Reported()
    {
        Install(A, R1, default, A);
        Transition(A, R1, R2, A);
        Install(A, R2, R1, A);
        Deliver(A, Msg(A, 0), R1, 1);

        AssertReported(EvsProperty.DeliveryConfiguration);
    }

    [Fact]
    public void NoDuplicates_SameMessageTwice_Reported()
    {
        Install(A, R1, default, A);
        Deliver(A, Msg(A, 0), R1, 1);
        _verifier.Record(new Incarnation(A, 0), new Delivered(Msg(A, 0), A, R1, 1, 1, false));

        AssertReported(EvsProperty.NoDuplicates);
    }

    [Fact]
    public void SenderFifo_OutOfSubmissionOrder_Reported()
    {
        Install(A, R1, default, A);
        Deliver(A, Msg(B, 1), R1, 1);
        Deliver(A, Msg(B, 0), R1, 2);

        AssertReported(EvsProperty.SenderFifo);
    }

    [Fact]
    public void SenderFifo_GapInWhatOthersDelivered_ReportedAtFinish()
    {
        Install(A, R1, default, A, B);
        Install(B, R1, default, A, B);
        Deliver(A, Msg(B, 0), R1, 1);
        Deliver(A, Msg(B, 1), R1, 2);
        Transition(B, R1, R3, B);
        Deliver(B, Msg(B, 1), R1, 2);

        _verifier.Finish();

        Assert.Contains(_verifier.Violations, v => v.Property == EvsProperty.SenderFifo && v.Message.Contains("gap", StringComparison.Ordinal));
    }

    [Fact]
    public void VirtualSynchrony_MovedTogetherButSplitDifferently_Reported()
    {
        Install(A, R1, default, A, B, C);
        Install(B, R1, default, A, B, C);
        Deliver(A, Msg(C, 0), R1, 1);
        Transition(A, R1, R2, A, B);
        Install(A, R2, R1, A, B);
        Transition(B, R1, R2, A, B);
        Deliver(B, Msg(C, 0), R1, 1);
        Install(B, R2, R1, A, B);

        AssertReported(EvsProperty.VirtualSynchrony);
    }

    [Fact]
    public void RegularPrefix_SkippedMessageInRegularConfiguration_ReportedAtFinish()
    {
        Install(A, R1, default, A, B);
        Install(B, R1, default, A, B);
        Deliver(A, Msg(A, 0), R1, 1);
        Deliver(A, Msg(B, 0), R1, 2);
        Deliver(B, Msg(B, 0), R1, 2);

        _verifier.Finish();

        Assert.Contains(_verifier.Violations, v => v.Property == EvsProperty.RegularPrefix);
    }

    [Fact]
    public void SafeDelivery_MemberMovesOnWithoutTheSafeMessage_ReportedAtFinish()
    {
        Install(A, R1, default, A, B);
        Install(B, R1, default, A, B);
        Deliver(A, Msg(A, 0, safe: true), R1, 1);
        Transition(B, R1, R3, B);
        Install(B, R3, R1, B);

        _verifier.Finish();

        Assert.Contains(_verifier.Violations, v => v.Property == EvsProperty.SafeDelivery);
    }

    [Fact]
    public void SafeDelivery_MemberCrashedInTheConfiguration_Excused()
    {
        Install(A, R1, default, A, B);
        Install(B, R1, default, A, B);
        Deliver(A, Msg(A, 0, safe: true), R1, 1);
        _verifier.Record(new Incarnation(B, 0), new Crashed());

        Assert.Empty(_verifier.Finish());
    }

    [Fact]
    public void SelfDelivery_OwnMessageNeverDelivered_ReportedUnlessTheNodeCrashed()
    {
        Install(A, R1, default, A, B);
        Install(B, R1, default, A, B);
        _verifier.Record(new Incarnation(A, 0), new Submitted(Msg(A, 0)));
        _verifier.Record(new Incarnation(B, 0), new Submitted(Msg(B, 0)));
        _verifier.Record(new Incarnation(B, 0), new Crashed());

        _verifier.Finish();

        var violation = Assert.Single(_verifier.Violations);
        Assert.Equal(EvsProperty.SelfDelivery, violation.Property);
    }

    [Fact]
    public void Log_EntryAfterCrash_Reported()
    {
        Install(A, R1, default, A);
        _verifier.Record(new Incarnation(A, 0), new Crashed());
        Deliver(A, Msg(A, 0), R1, 1);

        AssertReported(EvsProperty.Log);
    }

    [Fact]
    public void Check_LogsReadFromFiles_GiveTheSameVerdictInAnyOrder()
    {
        var logA = new NodeLog(new Incarnation(A, 0), [Regular(R1, default, A, B), new Delivered(Msg(A, 0), A, R1, 1, 0, false)]);
        var logB = new NodeLog(new Incarnation(B, 0), [Regular(R1, default, A, B), new Delivered(Msg(B, 0), B, R1, 1, 0, false)]);

        var forward = EvsVerifier.Check([logA, logB]);
        var backward = EvsVerifier.Check([logB, logA]);

        Assert.Equal(forward.Select(v => v.Property), backward.Select(v => v.Property));
        Assert.Contains(forward, v => v.Property == EvsProperty.TotalOrder);
    }

    private static MessageKey Msg(NodeId origin, long number, bool safe = false) => new(origin, safe ? number + 1000 : number);

    private static Configuration Regular(RingId ring, RingId previous, params NodeId[] members) =>
        new(ConfigKind.Regular, ring, previous, members);

    private void Install(NodeId node, RingId ring, RingId previous, params NodeId[] members) =>
        _verifier.Record(new Incarnation(node, 0), Regular(ring, previous, members));

    private void Install(NodeId node, RingId ring, RingId previous, NodeId member, int incarnation) =>
        _verifier.Record(new Incarnation(node, incarnation), Regular(ring, previous, member));

    private void Transition(NodeId node, RingId previous, RingId ring, params NodeId[] members) =>
        _verifier.Record(new Incarnation(node, 0), new Configuration(ConfigKind.Transitional, ring, previous, members));

    private void Deliver(NodeId node, MessageKey message, RingId ring, long seq) =>
        _verifier.Record(new Incarnation(node, 0), new Delivered(message, message.Origin, ring, seq, 0, message.Number >= 1000));

    private void AssertReported(string property) =>
        Assert.True(_verifier.Violations.Any(v => v.Property == property), $"expected a {property} violation, got: {string.Join("; ", _verifier.Violations)}");
}
