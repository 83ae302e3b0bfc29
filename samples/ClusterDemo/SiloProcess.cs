using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using SpreadNet.RingSilo;
using SpreadNet.Samples.ClusterDemo.Members;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>--silo N: one silo in this process, printing what its member sees, until Ctrl+C or the end of redirected input.</summary>
internal static class SiloProcess
{
    public static async Task<int> RunAsync(DemoSettings settings, int silo)
    {
        var log = new MemberLog(Chat.SiloName(silo));
        using var host = Hosts.Silo(settings, silo, log);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        await host.StartAsync();
        var details = host.Services.GetRequiredService<ILocalSiloDetails>();
        var rings = host.Services.GetRequiredService<ISpreadRings>();
        var ring = rings.GetRing(SpreadStreamOptions.DefaultRingName);
        var groupRing = rings.GetRing(Chat.GroupRing);
        Console.WriteLine($"{details.Name} running: silo {details.SiloAddress.Endpoint} (TCP), gateway {details.GatewayAddress?.Endpoint} (TCP), rings \"{ring.Name}\" {ring.EndPoint} and \"{groupRing.Name}\" {groupRing.EndPoint} (UDP), {settings.Clustering} clustering.");
        Console.WriteLine($"Lines (stream), views and notices (group \"{Chat.Group}\" on ring \"{Chat.GroupRing}\") its member gets are printed as they come.");
        Console.WriteLine("Members are named by their grain identity. Ctrl+C (or the end of redirected input) stops the silo.");

        // With input redirected (a parent process, a pipe), its end stops the silo; a terminal
        // (or a shell's background job, which must not read it) uses Ctrl+C.
        var endOfInput = Console.IsInputRedirected
            ? Task.Run(() =>
            {
                while (Console.In.ReadLine() is not null)
                {
                }
            })
            : Task.Delay(Timeout.Infinite, stop.Token);
        int lines = 0, events = 0, ringMembers = 0;
        while (!stop.IsCancellationRequested && !endOfInput.IsCompleted)
        {
            var report = log.Report(string.Empty, []);
            foreach (var item in report.Group.Skip(events))
            {
                Console.WriteLine($"  group {item.Describe(identity => identity)}");
            }

            foreach (var line in report.Lines.Skip(lines))
            {
                Console.WriteLine($"  {line.Token,-18} {line.Line}");
            }

            int members = ring.IsRunning ? ring.Node.Configuration?.Members.Count ?? 0 : 0;
            if (members != ringMembers)
            {
                Console.WriteLine($"  ring  {members} member(s)");
                ringMembers = members;
            }

            (lines, events) = (report.Lines.Count, report.Group.Count);
            await Task.WhenAny(endOfInput, Task.Delay(100, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));
        }

        Console.WriteLine($"{details.Name} stopping.");
        await host.StopAsync();
        return 0;
    }
}
