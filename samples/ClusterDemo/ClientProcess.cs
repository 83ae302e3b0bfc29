using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SpreadNet.Samples.ClusterDemo.Watch;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>
/// --client: finds the running silos' members, posts a round of lines from each silo and from the
/// client, waits until every member has them, prints the chat and the verdict.
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
            var scenario = new Scenario(host.Services.GetRequiredService<IClusterClient>(), settings.Count);
            Console.WriteLine($"Client connected ({settings.Clustering} clustering); waiting for {settings.Silos} active silo(s).");
            var members = await scenario.FindMembersAsync(settings.Silos, Timeout);
            var reports = await scenario.ReportsAsync(members);
            foreach (var (member, report) in members.Zip(reports))
            {
                Console.WriteLine($"  {member.Silo} at {member.Address.Endpoint}: ring \"streams\" members {report.RingMembers.Count} [{string.Join(", ", report.RingMembers)}], {report.Lines.Count} line(s) so far");
            }

            int before = Merged(reports);
            Console.WriteLine($"Posting {settings.Count} line(s) per author from {members.Count} silo(s) and the client.");
            await scenario.PostRoundAsync(members);
            int expected = before + scenario.Posted;

            var printer = new LivePrinter();
            var client = host.Services.GetRequiredService<IClusterClient>();
            var stalls = new StallWatch(label => members.Single(m => m.Silo == label).Grain(client).ResubscribeAsync());
            while (true)
            {
                reports = await scenario.ReportsAsync(members);
                var snapshots = members.Zip(reports, (m, r) => new MemberSnapshot(m.Silo, r, Alive: true)).ToList();
                printer.Update(snapshots);
                if (Merged(reports) >= expected && EveryoneAtTheEnd(reports))
                {
                    bool pass = OrderCheck.Report(snapshots, expected);
                    Console.WriteLine($"({clock.Elapsed.TotalSeconds:0.0} s)");
                    return pass ? 0 : 1;
                }

                if (clock.Elapsed > Timeout)
                {
                    OrderCheck.Report(snapshots, expected);
                    Console.WriteLine($"Not every member had every line after {Timeout.TotalSeconds:0} s.");
                    return 1;
                }

                await stalls.CheckAsync(snapshots);
                await Task.Delay(200);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static int Merged(IReadOnlyList<MemberReport> reports) =>
        reports.SelectMany(r => r.Lines).Select(l => l.Token).Distinct().Count();

    private static bool EveryoneAtTheEnd(IReadOnlyList<MemberReport> reports)
    {
        var max = reports.SelectMany(r => r.Lines).Select(l => l.Token).Max();
        return reports.All(r => r.Lines.Count > 0 && r.Lines[^1].Token.Equals(max));
    }
}
