using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using SpreadNet.RingSilo;
using SpreadNet.Samples.ClusterDemo.Members;
using SpreadNet.Samples.ClusterDemo.PubSub;
using SpreadNet.Samples.ClusterDemo.Watch;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>
/// The default mode: silos and a client in this process, the client's member joining the group,
/// three rounds of chat, silo 2 killed after the first and restarted after the second, then the verdict.
/// </summary>
internal sealed class InProcessDemo : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<RunningSilo> _silos = [];
    private readonly Lock _lock = new();
    private readonly Lock _printLock = new();
    private readonly StallWatch _stalls;

    // One pub-sub store for every silo of this process, the stand-in for a shared durable store:
    // it must survive the silo the demo kills (see Hosts.Silo).
    private readonly SharedPubSubStore _pubSub = new();

    private IHost? _client;
    private ClientMember? _clientMember;

    private readonly DemoSettings _settings;

    private InProcessDemo(DemoSettings settings)
    {
        _settings = settings;
        _stalls = new StallWatch(ResubscribeAsync);
    }

    public static async Task<int> RunAsync(DemoSettings settings)
    {
        await using var demo = new InProcessDemo(settings);
        try
        {
            return await demo.RunAsync();
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
        {
            Console.WriteLine($"FAIL: {ex.Message}");
            return 1;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Bounded: a demo that failed must still end.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        if (_client is not null)
        {
            await _client.StopAsync(timeout.Token);
            _client.Dispose();
        }

        foreach (var silo in _silos.Where(s => s.Alive).Reverse())
        {
            await silo.Host.StopAsync(timeout.Token);
            silo.Host.Dispose();
        }
    }

    private async Task<int> RunAsync()
    {
        int n = _settings.Silos;
        Console.WriteLine($"SpreadNet cluster demo: {n} Orleans silos and a client in this process, development clustering on {_settings.Address}.");
        Console.WriteLine($"Silo k: silo port {_settings.SiloPortOf(1)}+k-1, gateway {_settings.GatewayPortOf(1)}+k-1, ring \"{SpreadStreamOptions.DefaultRingName}\" on UDP {_settings.RingPortOf(1) ?? _settings.SiloPortOf(1) + 1000}+k-1, ring \"{Chat.GroupRing}\" on UDP {_settings.GroupRingPortOf(1) ?? _settings.SiloPortOf(1) + 1100}+k-1.");
        Console.WriteLine($"Authors: {string.Join(", ", Enumerable.Range(1, n).Select(k => $"{Scenario.AuthorOf(Chat.SiloName(k))} on {Chat.SiloName(k)}"))}, {Scenario.ClientAuthor} on the client.");
        Console.WriteLine($"Each silo's member grain and the client's member object join group \"{Chat.Group}\" (group grains, ring \"{Chat.GroupRing}\").");
        Console.WriteLine("In each round every author sends a notice to the group, then posts lines to one Spread stream; each silo's");
        Console.WriteLine("member applies the lines in the stream's order. Each '#n' line below is one position of that order and each");
        Console.WriteLine("'group' line one view or notice in the group's order, printed once every running member has it:");
        Console.WriteLine("'+' the member has it there, ' ' not a member then.");
        Console.WriteLine();

        Step("starting silo1 (the primary), then the others");
        await StartSiloAsync(1, "silo1");
        await Task.WhenAll(Enumerable.Range(2, n - 1).Select(k => StartSiloAsync(k, Chat.SiloName(k))));
        await WaitForRingAsync();

        // The client's group membership is registered at its gateway: silo1's, which stays up.
        _client = Hosts.Client(_settings with { Gateways = [new IPEndPoint(_settings.Address, _settings.GatewayPortOf(1))] });
        await _client.StartAsync();
        var clusterClient = _client.Services.GetRequiredService<IClusterClient>();
        _clientMember = new ClientMember(clusterClient, Scenario.ClientAuthor);
        var scenario = new Scenario(clusterClient, _clientMember, _settings.Count);
        var members = await scenario.FindMembersAsync(n, Timeout);
        await _clientMember.JoinAsync();
        await WaitForGroupAsync();
        Step($"{Scenario.ClientAuthor} joined the group through silo1's gateway; members by grain identity:");
        foreach (string entry in new MemberNames(Snapshots()).Legend())
        {
            Console.WriteLine($"          {entry}");
        }

        var printer = new LivePrinter();
        using var printing = new CancellationTokenSource();
        var printerLoop = PrintAsync(printer, printing.Token);

        Step($"round 1: every author posts {_settings.Count} lines");
        await scenario.PostRoundAsync(members);
        await WaitForDeliveryAsync(scenario.Posted, scenario.Noticed);
        Print(printer);

        int victim = Math.Min(2, n);
        Step($"killing {Chat.SiloName(victim)}: its host is stopped with a cancelled token, so Orleans skips its graceful shutdown");
        Console.WriteLine("          (in one process its ring nodes still close their sessions: the group view says Disconnect; a killed --silo process gives Network)");
        await KillAsync(victim);
        var survivors = members.Where(m => m.Silo != Chat.SiloName(victim)).ToList();

        Step($"round 2: the authors of the running silos and the client post {_settings.Count} lines each");
        await scenario.PostRoundAsync(survivors);
        await WaitForDeliveryAsync(scenario.Posted, scenario.Noticed);
        Print(printer);

        Step($"restarting {Chat.SiloName(victim)}: a new silo incarnation and a new member ({Chat.SiloName(victim)}')");
        var restarted = await StartSiloAsync(victim, Chat.SiloName(victim) + "'");
        await WaitForRingAsync();
        members = [.. survivors, new MemberRef(Chat.SiloName(victim), restarted.Address)];

        Step($"round 3: every author posts {_settings.Count} lines");
        await scenario.PostRoundAsync(members);
        await WaitForDeliveryAsync(scenario.Posted, scenario.Noticed);
        Print(printer);

        await printing.CancelAsync();
        await printerLoop;
        Print(printer);
        Step("done; the members' records:");
        bool pass = OrderCheck.Report(Snapshots(), scenario.Posted, scenario.Noticed);
        Console.WriteLine($"({_clock.Elapsed.TotalSeconds:0.0} s)");
        return pass ? 0 : 1;
    }

    private void Step(string what) => Console.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {what}");

    private async Task<RunningSilo> StartSiloAsync(int silo, string label)
    {
        var log = new MemberLog(Chat.SiloName(silo));
        var host = Hosts.Silo(_settings, silo, log, _pubSub);
        var running = new RunningSilo(label, silo, host, log, host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);
        lock (_lock)
        {
            _silos.Add(running);
        }

        await host.StartAsync();
        return running;
    }

    private async Task KillAsync(int silo)
    {
        var victim = _silos.Single(s => s.Silo == silo && s.Alive);
        victim.Alive = false;
        try
        {
            await victim.Host.StopAsync(new CancellationToken(canceled: true));
        }
        catch (OperationCanceledException)
        {
            // A cancelled stop skips the graceful steps: that is the point.
        }

        victim.Host.Dispose();
    }

    private async Task WaitForRingAsync()
    {
        var alive = Alive();
        await WaitUntilAsync(
            () => alive.All(s => RingOf(s).Count == alive.Count) && GroupComplete(),
            "one ring and one group view with every running member",
            () => string.Join("; ", Snapshots().Where(m => m.Alive).Select(m => $"{m.Label} ({m.Report.Member}): {m.Report.Group.LastOrDefault(e => e.IsView)?.Describe(id => id)}")) +
                  "; ring sizes " + string.Join(", ", alive.Select(s => RingOf(s).Count)));
        Step($"ring \"{SpreadStreamOptions.DefaultRingName}\" formed: {string.Join(", ", alive.Select(s => $"{s.Label} {s.Host.Services.GetRequiredService<ISpreadRings>().GetRing(SpreadStreamOptions.DefaultRingName).EndPoint}"))}; every member is in the group");
    }

    private Task WaitForGroupAsync() => WaitUntilAsync(GroupComplete, "a group view with every running member, at every one of them", () => string.Empty);

    /// <summary>Whether every running member's last group view names every running member that joined.</summary>
    private bool GroupComplete()
    {
        var alive = Snapshots().Where(s => s.Alive).ToList();
        var ids = alive.Select(s => s.Report.Member).ToList();
        return ids.All(id => id is not null) && alive.All(s =>
            s.Report.Group.LastOrDefault(e => e.IsView) is { } view &&
            ids.All(id => view.Members.Contains(id!, StringComparer.Ordinal)) &&
            view.Members.Count == ids.Count);
    }

    private async Task WaitForDeliveryAsync(int posted, int noticed)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var snapshots = Snapshots();
            var onStream = snapshots.Where(s => s.OnStream).ToList();
            var tokens = onStream.SelectMany(s => s.Report.Lines).Select(l => l.Token).Distinct().ToList();
            var max = tokens.Max();
            var alive = snapshots.Where(s => s.Alive).ToList();
            var group = alive.Select(s => s.Report.Group).MaxBy(g => g.Count) ?? [];
            bool linesDone = tokens.Count == posted && onStream.Where(s => s.Alive).All(s => s.Report.Lines.Count > 0 && s.Report.Lines[^1].Token.Equals(max));
            bool groupDone = group.Count(e => !e.IsView) == noticed && alive.All(s => s.Report.Group.Count > 0 && s.Report.Group[^1].Position == group[^1].Position);
            if (linesDone && groupDone)
            {
                return;
            }

            if (clock.Elapsed > Timeout)
            {
                OrderCheck.Report(snapshots, posted, noticed, verdict: false);
                throw new TimeoutException($"Not reached within {Timeout.TotalSeconds:0} s: every running member receiving all {posted} lines and {noticed} notices.");
            }

            await _stalls.CheckAsync([.. onStream], posted);
            await Task.Delay(50);
        }
    }

    private Task ResubscribeAsync(string label)
    {
        var silo = Alive().Single(s => s.Label == label);
        return _client!.Services.GetRequiredService<IClusterClient>().GetGrain<IChatMemberGrain>(silo.Address.ToParsableString()).ResubscribeAsync();
    }

    private async Task PrintAsync(LivePrinter printer, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Print(printer);
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Prints what is printable now: from the printing loop, and before a step, so that a round's lines come before the next step.</summary>
    private void Print(LivePrinter printer)
    {
        lock (_printLock)
        {
            printer.Update(Snapshots());
        }
    }

    private List<MemberSnapshot> Snapshots()
    {
        lock (_lock)
        {
            var silos = _silos.OrderBy(s => s.Label, StringComparer.Ordinal).Select(s => new MemberSnapshot(s.Label, s.Log.Report(s.Address.ToParsableString(), []), s.Alive));
            return _clientMember is { } client
                ? [.. silos, new MemberSnapshot(client.Log.Silo, client.Log.Report(string.Empty, []), Alive: true, OnStream: false)]
                : [.. silos];
        }
    }

    private List<RunningSilo> Alive()
    {
        lock (_lock)
        {
            return [.. _silos.Where(s => s.Alive)];
        }
    }

    private static IReadOnlyList<Ring.NodeId> RingOf(RunningSilo silo)
    {
        var ring = silo.Host.Services.GetRequiredService<ISpreadRings>().GetRing(SpreadStreamOptions.DefaultRingName);
        return ring.IsRunning && ring.Node.Configuration is { } c ? c.Members : [];
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what, Func<string> state)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"Not reached within {Timeout.TotalSeconds:0} s: {what}. {state()}");
            }

            await Task.Delay(50);
        }
    }

    private sealed class RunningSilo(string label, int silo, IHost host, MemberLog log, SiloAddress address)
    {
        public string Label { get; } = label;

        public int Silo { get; } = silo;

        public IHost Host { get; } = host;

        public MemberLog Log { get; } = log;

        public SiloAddress Address { get; } = address;

        public bool Alive { get; set; } = true;
    }
}
