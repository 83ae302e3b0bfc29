using SpreadNet.Ring;
using SpreadNet.Ring.Groups;
using SpreadNet.Ring.Verification;
using SpreadNet.Ring.Verification.Groups;

namespace SpreadNet.Simulation.Tests;

/// <summary>
/// The group verifier on hand-written session logs: a correct history (joins, messages, a crash
/// with its transitional view, a leave) passes, and each property catches what it names.
/// </summary>
public class GroupVerifierTests
{
    private const string G = "g";
    private static readonly NodeId A = new(1), B = new(2), C = new(3);
    private static readonly RingId R1 = new(A, 4), R2 = new(A, 8);
    private static readonly SessionKey Sa = new(A, "a"), Sb = new(B, "b"), Sc = new(C, "c");
    private readonly GroupVerifier _verifier = new();
    private readonly Dictionary<SessionKey, long> _sent = [];
    private readonly Dictionary<GroupMessageKey, Sent> _messages = [];

    public GroupVerifierTests()
    {
        // a, b and c (one per node) in ring R1 join g in turn: every member sees every join.
        foreach (var s in new[] { Sa, Sb, Sc })
        {
            Record(s, new RingConfigured(ConfigKind.Regular, R1, default, [A, B, C]));
            Record(s, new JoinRequested(G));
        }

        View([Sa], Id(1), GroupViewKind.Regular, ViewChangeReason.Join, [Sa], [Sa], []);
        View([Sa, Sb], Id(2), GroupViewKind.Regular, ViewChangeReason.Join, [Sa, Sb], [Sb], []);
        View([Sa, Sb, Sc], Id(3), GroupViewKind.Regular, ViewChangeReason.Join, [Sa, Sb, Sc], [Sc], []);
        foreach (var s in new[] { Sa, Sb, Sc })
        {
            Record(s, new RequestCompleted(G, Join: true));
        }
    }

    [Fact]
    public void CorrectHistory_CrashAndLeave_NoViolations()
    {
        var m = Send(Sa, ServiceType.Safe);
        Receive([Sa, Sb, Sc], m, 4);

        // C crashes: a and b move on to R2 and see c go in a transitional view, then a regular one.
        Record(Sc, new SessionVanished());
        Transition([Sa, Sb], R2, A, B);
        View([Sa, Sb], new GroupViewId(R2, 0, 0), GroupViewKind.Transitional, ViewChangeReason.Network, [Sa, Sb], [], [Sc]);
        Regular([Sa, Sb], R2, A, B);
        View([Sa, Sb], Id(2, R2), GroupViewKind.Regular, ViewChangeReason.Network, [Sa, Sb], [], []);

        // b leaves: it gets its self-leave view, a the leave view.
        Record(Sb, new LeaveRequested(G));
        View([Sb], Id(3, R2), GroupViewKind.SelfLeave, ViewChangeReason.Leave, [], [], [Sb]);
        View([Sa], Id(3, R2), GroupViewKind.Regular, ViewChangeReason.Leave, [Sa], [], [Sb]);
        Record(Sb, new RequestCompleted(G, Join: false));

        Assert.Empty(_verifier.Finish(settled: true));
    }

    [Fact]
    public void Delivery_ToSessionOutsideTheTargetGroup_Reported()
    {
        var m = Send(Sa, ServiceType.Agreed, targets: ["other"]);

        Receive([Sb], m, 4);

        AssertReported(GroupProperty.Delivery);
    }

    [Fact]
    public void Delivery_Twice_Reported()
    {
        var m = Send(Sa, ServiceType.Fifo);

        Receive([Sb], m, 4);
        Receive([Sb], m, 5);

        AssertReported(GroupProperty.Delivery);
    }

    [Fact]
    public void Delivery_SelfDiscardedMessageToItsSender_Reported()
    {
        var m = Send(Sa, ServiceType.Reliable, selfDiscard: true);

        Receive([Sa], m, 4);

        AssertReported(GroupProperty.Delivery);
    }

    [Fact]
    public void Delivery_PrivateNameReachesItsSessionOnly()
    {
        var m = Send(Sa, ServiceType.Causal, targets: [Sb.PrivateName]);

        Receive([Sb], m, 4);
        Assert.Empty(_verifier.Violations);

        Receive([Sc], m, 4);
        AssertReported(GroupProperty.Delivery);
    }

    [Fact]
    public void Order_PositionGoesBack_Reported()
    {
        var (first, second) = (Send(Sa, ServiceType.Agreed), Send(Sb, ServiceType.Agreed));

        Receive([Sc], first, 5);
        Receive([Sc], second, 4);

        AssertReported(GroupProperty.Order);
    }

    [Fact]
    public void Order_SenderFifoBroken_Reported()
    {
        var (first, second) = (Send(Sa, ServiceType.Unreliable), Send(Sa, ServiceType.Unreliable));

        Receive([Sc], second, 4);
        Receive([Sc], first, 5);

        AssertReported(GroupProperty.Order);
    }

    [Fact]
    public void ViewAgreement_SameIdDifferentMembers_Reported()
    {
        Record(Sc, new LeaveRequested(G));
        View([Sa], Id(4), GroupViewKind.Regular, ViewChangeReason.Leave, [Sa, Sb], [], [Sc]);
        View([Sb], Id(4), GroupViewKind.Regular, ViewChangeReason.Leave, [Sa], [], [Sb, Sc]);

        AssertReported(GroupProperty.ViewAgreement);
    }

    [Fact]
    public void ViewShape_MemberOfACrashedNodeDroppedByARegularView_Reported()
    {
        Record(Sc, new SessionVanished());
        Transition([Sa, Sb], R2, A, B);
        Regular([Sa, Sb], R2, A, B);

        // Without the transitional view, and c never asked to leave.
        View([Sa, Sb], Id(2, R2), GroupViewKind.Regular, ViewChangeReason.Network, [Sa, Sb], [], [Sc]);

        AssertReported(GroupProperty.ViewShape);
    }

    [Fact]
    public void ViewShape_TransitionalViewRemovesAMemberThatMovedAlong_Reported()
    {
        Transition([Sa, Sb], R2, A, B, C);

        View([Sa], new GroupViewId(R2, 0, 0), GroupViewKind.Transitional, ViewChangeReason.Network, [Sa, Sb], [], [Sc]);

        AssertReported(GroupProperty.ViewShape);
    }

    [Fact]
    public void ViewShape_MembersNotSorted_Reported()
    {
        Record(Sc, new LeaveRequested(G));

        View([Sa], Id(4), GroupViewKind.Regular, ViewChangeReason.Leave, [Sb, Sa], [], [Sc]);

        AssertReported(GroupProperty.ViewShape);
    }

    [Fact]
    public void VirtualSynchrony_SameViewsDifferentMessages_ReportedAtFinish()
    {
        var m = Send(Sa, ServiceType.Agreed);
        Receive([Sa, Sb], m, 4);
        Record(Sc, new LeaveRequested(G));
        View([Sa, Sb], Id(5), GroupViewKind.Regular, ViewChangeReason.Leave, [Sa, Sb], [], [Sc]);
        View([Sc], Id(5), GroupViewKind.SelfLeave, ViewChangeReason.Leave, [], [], [Sc]);
        Assert.Empty(_verifier.Violations);

        _verifier.Finish(settled: false);

        AssertReported(GroupProperty.VirtualSynchrony);
    }

    [Fact]
    public void ViewOrder_TwoMembersInstallTwoViewsInOppositeOrders_ReportedAtFinish()
    {
        Record(Sc, new LeaveRequested(G));
        Record(Sc, new JoinRequested(G));
        View([Sa], Id(4), GroupViewKind.Regular, ViewChangeReason.Leave, [Sa, Sb], [], [Sc]);
        View([Sa], Id(5), GroupViewKind.Regular, ViewChangeReason.Join, [Sa, Sb, Sc], [Sc], []);
        View([Sb], Id(5), GroupViewKind.Regular, ViewChangeReason.Join, [Sa, Sb, Sc], [Sc], []);
        View([Sb], Id(4), GroupViewKind.Regular, ViewChangeReason.Leave, [Sa, Sb], [], [Sc]);

        _verifier.Finish(settled: false);

        AssertReported(GroupProperty.ViewOrder);
    }

    [Fact]
    public void SafeDelivery_MemberThatDidNotCrashNeverGetsIt_ReportedWhenSettled()
    {
        var m = Send(Sa, ServiceType.Safe);
        Receive([Sa, Sb], m, 4);

        _verifier.Finish(settled: true);

        AssertReported(GroupProperty.SafeDelivery);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FinalViews_MembersEndInDifferentViews_ReportedOnceSettled(bool settled)
    {
        // c leaves; b is never told.
        Record(Sc, new LeaveRequested(G));
        View([Sa], Id(4), GroupViewKind.Regular, ViewChangeReason.Leave, [Sa, Sb], [], [Sc]);
        View([Sc], Id(4), GroupViewKind.SelfLeave, ViewChangeReason.Leave, [], [], [Sc]);
        Record(Sc, new RequestCompleted(G, Join: false));

        _verifier.Finish(settled);

        Assert.Equal(settled, _verifier.Violations.Any(v => v.Property == GroupProperty.FinalViews));
    }

    [Fact]
    public void SelfDelivery_OwnMessageToItsGroupNeverReceived_ReportedWhenSettled()
    {
        var m = Send(Sa, ServiceType.Agreed);
        Receive([Sb, Sc], m, 4);

        _verifier.Finish(settled: true);

        AssertReported(GroupProperty.Delivery);
    }

    [Fact]
    public void Requests_JoinCompletedWithoutItsView_Reported()
    {
        Record(Sa, new JoinRequested("other"));

        Record(Sa, new RequestCompleted("other", Join: true));

        AssertReported(GroupProperty.Requests);
    }

    private static GroupViewId Id(long sequence, RingId? ring = null) => new(ring ?? R1, sequence, 0);

    private void Record(SessionKey session, SessionEntry entry) => _verifier.Record(session, entry);

    private void View(SessionKey[] receivers, GroupViewId id, GroupViewKind kind, ViewChangeReason reason, SessionKey[] members, SessionKey[] joined, SessionKey[] left)
    {
        foreach (var receiver in receivers)
        {
            Record(receiver, new ViewInstalled(G, id, kind, reason, members, joined, left));
        }
    }

    private void Transition(SessionKey[] sessions, RingId ring, params NodeId[] members)
    {
        foreach (var s in sessions)
        {
            Record(s, new RingConfigured(ConfigKind.Transitional, ring, R1, members));
        }
    }

    private void Regular(SessionKey[] sessions, RingId ring, params NodeId[] members)
    {
        foreach (var s in sessions)
        {
            Record(s, new RingConfigured(ConfigKind.Regular, ring, R1, members));
        }
    }

    private GroupMessageKey Send(SessionKey sender, ServiceType service, string[]? targets = null, bool selfDiscard = false)
    {
        long number = _sent.GetValueOrDefault(sender);
        _sent[sender] = number + 1;
        var key = new GroupMessageKey(sender, number);
        var sent = new Sent(key, targets ?? [G], service, selfDiscard);
        _messages[key] = sent;
        Record(sender, sent);
        return key;
    }

    private void Receive(SessionKey[] receivers, GroupMessageKey message, long sequence)
    {
        foreach (var receiver in receivers)
        {
            var sent = _messages[message];
            Record(receiver, new MessageReceived(message, message.Sender, sent.Targets, sent.Service, new MessagePosition(R1, sequence, 0)));
        }
    }

    private void AssertReported(string property) =>
        Assert.True(_verifier.Violations.Any(v => v.Property == property), $"expected {property}; got: {string.Join("; ", _verifier.Violations)}");
}
