using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using SpreadNet.RingSilo;
using SpreadNet.Samples.ClusterDemo.Members;
using SpreadNet.Samples.ClusterDemo.Watch;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>
/// The default mode: silos and a client in this process, three rounds of chat, silo 2 killed after
/// the first and restarted after the second, then the verdict.
/// </summary>
internal sealed class InProcessDemo : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<RunningSilo> _silos = [];
    private readonly Lock _lock = new();
    private readonly StallWatch _stalls;
    private IHost? _client;

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
        Console.WriteLine($"Silo k: silo port {_settings.SiloPortOf(1)}+k-1, gateway {_settings.GatewayPortOf(1)}+k-1, ring \"{SpreadStreamOptions.DefaultRingName}\" on UDP {_settings.RingPortOf(1)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (_settings.SiloPortOf(1) + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)}+k-1.");
        Console.WriteLine($"Authors: {string.Join(", ", Enumerable.Range(1, n).Select(k => $"{Scenario.AuthorOf(Chat.SiloName(k))} on {Chat.SiloName(k)}"))}, {Scenario.ClientAuthor} on the client.");
        Console.WriteLine("They post to one Spread stream; each silo's member applies the lines in the stream's order. Each line below is");
        Console.WriteLine("one position of that order, printed once every running member has it: '+' same line there, ' ' not a member then.");
        Console.WriteLine();

        Step("starting silo1 (the primary), then the others");
        await StartSiloAsync(1, "silo1");
        await Task.WhenAll(Enumerable.Range(2, n - 1).Select(k => StartSiloAsync(k, Chat.SiloName(k))));
        await WaitForRingAsync();

        _client = Hosts.Client(_settings);
        await _client.StartAsync();
        var scenario = new Scenario(_client.Services.GetRequiredService<IClusterClient>(), _settings.Count);
        var members = await scenario.FindMembersAsync(n, Timeout);

        var printer = new LivePrinter();
        using var printing = new CancellationTokenSource();
        var printerLoop = PrintAsync(printer, printing.Token);

        Step($"round 1: every author posts {_settings.Count} lines");
        await scenario.PostRoundAsync(members);
        await WaitForDeliveryAsync(scenario.Posted);

        int victim = Math.Min(2, n);
        Step($"killing {Chat.SiloName(victim)}: its host is stopped with a cancelled token, so Orleans skips its graceful shutdown");
        Console.WriteLine("          (in one process its ring node still closes its session: the view says Disconnect; a killed --silo process gives Network)");
        await KillAsync(victim);
        var survivors = members.Where(m => m.Silo != Chat.SiloName(victim)).ToList();

        Step($"round 2: the authors of the running silos and the client post {_settings.Count} lines each");
        await scenario.PostRoundAsync(survivors);
        await WaitForDeliveryAsync(scenario.Posted);

        Step($"restarting {Chat.SiloName(victim)}: a new silo incarnation and a new member ({Chat.SiloName(victim)}')");
        var restarted = await StartSiloAsync(victim, Chat.SiloName(victim) + "'");
        await WaitForRingAsync();
        members = [.. survivors, new MemberRef(Chat.SiloName(victim), restarted.Address)];

        Step($"round 3: every author posts {_settings.Count} lines");
        await scenario.PostRoundAsync(members);
        await WaitForDeliveryAsync(scenario.Posted);

        await printing.CancelAsync();
        await printerLoop;
        printer.Update(Snapshots());
        Step("done; the members' records:");
        bool pass = OrderCheck.Report(Snapshots(), scenario.Posted);
        Console.WriteLine($"({_clock.Elapsed.TotalSeconds:0.0} s)");
        return pass ? 0 : 1;
    }

    private void Step(string what) => Console.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {what}");

    private async Task<RunningSilo> StartSiloAsync(int silo, string label)
    {
        var log = new MemberLog(Chat.SiloName(silo));
        var host = Hosts.Silo(_settings, silo, log);
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
            () => alive.All(s => RingOf(s).Count == alive.Count) &&
                   alive.All(s => s.Log.Report(string.Empty, []).Views is { Count: > 0 } views && views[^1].Members.Count == alive.Count),
            "one ring and one group view with every running silo");
        Step($"ring \"{SpreadStreamOptions.DefaultRingName}\" formed: {string.Join(", ", alive.Select(s => $"{s.Label} {s.Host.Services.GetRequiredService<ISpreadRings>().GetRing(SpreadStreamOptions.DefaultRingName).EndPoint}"))}");
    }

    private async Task WaitForDeliveryAsync(int posted)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var snapshots = Snapshots();
            var tokens = snapshots.SelectMany(s => s.Report.Lines).Select(l => l.Token).Distinct().ToList();
            var max = tokens.Max();
            if (tokens.Count == posted && snapshots.Where(s => s.Alive).All(s => s.Report.Lines.Count > 0 && s.Report.Lines[^1].Token.Equals(max)))
            {
                return;
            }

            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"Not reached within {Timeout.TotalSeconds:0} s: every running member receiving all {posted} lines.");
            }

            await _stalls.CheckAsync(snapshots);
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
            printer.Update(Snapshots());
            await Task.Delay(50, CancellationToken.None);
        }
    }

    private List<MemberSnapshot> Snapshots()
    {
        lock (_lock)
        {
            return [.. _silos.OrderBy(s => s.Label, StringComparer.Ordinal).Select(s => new MemberSnapshot(s.Label, s.Log.Report(s.Address.ToParsableString(), []), s.Alive))];
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

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"Not reached within {Timeout.TotalSeconds:0} s: {what}.");
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
