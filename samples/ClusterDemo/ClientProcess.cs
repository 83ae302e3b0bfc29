using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SpreadNet.Samples.ClusterDemo.Members;
using SpreadNet.Samples.ClusterDemo.Watch;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>
/// --client: finds the running silos' members, joins the group with a member object of its own,
/// posts a round (a notice and lines) from each silo and from the client, waits until every member
/// has them, prints the chat and the verdict, and leaves the group.
/// </summary>
internal static class ClientProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(DemoSettings settings)
    {
        var clock = Stopwatch.StartNew();
        using var host = Hosts.Client(settings);
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<IClusterClient>();
            var clientMember = new ClientMember(client, Scenario.ClientAuthor);
            var scenario = new Scenario(client, clientMember, settings.Count);
            Console.WriteLine($"Client connected ({settings.Clustering} clustering); waiting for {settings.Silos} active silo(s).");
            var members = await scenario.FindMembersAsync(settings.Silos, Timeout);
            var reports = await scenario.ReportsAsync(members);
            foreach (var (member, report) in members.Zip(reports))
            {
                Console.WriteLine($"  {member.Silo} at {member.Address.Endpoint}: ring \"streams\" members {report.RingMembers.Count} [{string.Join(", ", report.RingMembers)}], {report.Lines.Count} line(s) and {report.Group.Count} group event(s) so far");
            }

            await clientMember.JoinAsync();
            Console.WriteLine($"Joined group \"{Chat.Group}\" on ring \"{Chat.GroupRing}\" as {Scenario.ClientAuthor} ({clientMember.Log.Member}).");
            int before = Merged(reports);
            int noticesBefore = Notices(reports);
            Console.WriteLine($"Posting a notice and {settings.Count} line(s) per author from {members.Count} silo(s) and the client.");
            await scenario.PostRoundAsync(members);
            int expected = before + scenario.Posted;
            int expectedNotices = noticesBefore + scenario.Noticed;

            var printer = new LivePrinter();
            var stalls = new StallWatch(label => members.Single(m => m.Silo == label).Grain(client).ResubscribeAsync());
            try
            {
                while (true)
                {
                    reports = await scenario.ReportsAsync(members);
                    var snapshots = members.Zip(reports, (m, r) => new MemberSnapshot(m.Silo, r, Alive: true))
                        .Append(new MemberSnapshot(Scenario.ClientAuthor, clientMember.Log.Report(string.Empty, []), Alive: true, OnStream: false))
                        .ToList();
                    printer.Update(snapshots);
                    if (Merged(reports) >= expected && EveryoneAtTheEnd(reports) && GroupAtTheEnd(snapshots, expectedNotices))
                    {
                        bool pass = OrderCheck.Report(snapshots, expected, expectedNotices);
                        Console.WriteLine($"({clock.Elapsed.TotalSeconds:0.0} s)");
                        return pass ? 0 : 1;
                    }

                    if (clock.Elapsed > Timeout)
                    {
                        OrderCheck.Report(snapshots, expected, expectedNotices, verdict: false);
                        Console.WriteLine($"FAIL: not every member had every line and notice after {Timeout.TotalSeconds:0} s.");
                        return 1;
                    }

                    await stalls.CheckAsync(snapshots, expected);
                    await Task.Delay(200);
                }
            }
            finally
            {
                // The silos' members see it go (reason Leave); the next client run finds that view in their records.
                await clientMember.LeaveAsync();
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static int Merged(IReadOnlyList<MemberReport> reports) =>
        reports.SelectMany(r => r.Lines).Select(l => l.Token).Distinct().Count();

    /// <summary>The notices the silos' members have, counted once (the group's notices so far).</summary>
    private static int Notices(IReadOnlyList<MemberReport> reports) =>
        reports.SelectMany(r => r.Group).Where(e => !e.IsView).Select(e => e.Position).Distinct().Count();

    /// <summary>Every member has the group's events up to the last one, and every notice sent arrived.</summary>
    private static bool GroupAtTheEnd(IReadOnlyList<MemberSnapshot> members, int expectedNotices)
    {
        var longest = members.Select(m => m.Report.Group).MaxBy(g => g.Count)!;
        return longest.Count(e => !e.IsView) >= expectedNotices &&
            members.All(m => m.Report.Group.Count > 0 && m.Report.Group[^1].Position == longest[^1].Position);
    }

    private static bool EveryoneAtTheEnd(IReadOnlyList<MemberReport> reports)
    {
        var max = reports.SelectMany(r => r.Lines).Select(l => l.Token).Max();
        return reports.All(r => r.Lines.Count > 0 && r.Lines[^1].Token.Equals(max));
    }
}
