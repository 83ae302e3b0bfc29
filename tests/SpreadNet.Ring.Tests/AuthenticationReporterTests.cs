using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Transport;

namespace SpreadNet.Ring.Tests;

public class AuthenticationReporterTests
{
    private const long Interval = 10_000_000;
    private static readonly NodeId Self = Datagrams.NodeA;
    private static readonly NodeId Peer = Datagrams.NodeB;

    [Fact]
    public void Record_FirstFailure_ReportedAtOnceNamingThePeerTheKeyAndTheFix()
    {
        var reporter = new AuthenticationReporter(Self, Interval);

        var report = reporter.Record(AuthenticationProblem.BadTag, Peer, 5);

        Assert.NotNull(report);
        Assert.Equal(RingEventKind.AuthenticationFailed, report.Kind);
        Assert.Equal(Peer, report.Peer);
        Assert.StartsWith($"Node {Peer.ToEndPoint()} sends packets that fail authentication (1 dropped so far)", report.Message, StringComparison.Ordinal);
        Assert.Contains("different ClusterKey", report.Message, StringComparison.Ordinal);
        Assert.Contains("Give every node of the ring the same ClusterKey and ClusterKeyMode", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_ManyFailures_AtMostOneReportPerInterval()
    {
        var reporter = new AuthenticationReporter(Self, Interval);
        var reports = new List<RingEvent>();

        for (long now = 0; now < 3 * Interval; now += 1_000)
        {
            if (reporter.Record(AuthenticationProblem.Unsealed, Peer, now) is { } report)
            {
                reports.Add(report);
            }
        }

        Assert.Equal(3, reports.Count);
        Assert.Contains("(20001 dropped so far)", reports[2].Message, StringComparison.Ordinal);
        Assert.Contains("that node most likely has no ClusterKey", reports[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_SourcesAndProblemsReportedSeparately()
    {
        var reporter = new AuthenticationReporter(Self, Interval);

        Assert.NotNull(reporter.Record(AuthenticationProblem.BadTag, Peer, 0));
        Assert.NotNull(reporter.Record(AuthenticationProblem.BadTag, Datagrams.NodeC, 1));
        Assert.NotNull(reporter.Record(AuthenticationProblem.SealedWithoutKey, Peer, 2));
        Assert.Null(reporter.Record(AuthenticationProblem.BadTag, Peer, 3));
    }

    [Fact]
    public void Record_Replays_ReportedOnlyWhenManyWithinAnInterval()
    {
        var reporter = new AuthenticationReporter(Self, Interval);

        // A duplicate now and then is the network's doing.
        for (int i = 0; i < 100; i++)
        {
            Assert.Null(reporter.Record(AuthenticationProblem.Replayed, Peer, i * Interval));
        }

        RingEvent? report = null;
        for (int i = 0; i < AuthenticationReporter.ReplayThreshold && report is null; i++)
        {
            report = reporter.Record(AuthenticationProblem.Replayed, Peer, (100 * Interval) + i);
        }

        Assert.NotNull(report);
        Assert.Equal(RingEventKind.ReplayRejected, report.Kind);
        Assert.Contains("clock set back", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_ThousandsOfSources_StaysBoundedAndKeepsReporting()
    {
        var reporter = new AuthenticationReporter(Self, Interval);
        int reports = 0;

        for (int i = 1; i <= 5_000; i++)
        {
            reports += reporter.Record(AuthenticationProblem.BadTag, new NodeId((ulong)i), i) is null ? 0 : 1;
        }

        Assert.Equal(5_000, reports);
    }
}
