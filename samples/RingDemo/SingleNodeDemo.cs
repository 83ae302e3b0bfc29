using SpreadNet.Ring;

namespace SpreadNet.Samples.RingDemo;

/// <summary>One node of the ring in this process; the others run elsewhere with the same flags.</summary>
internal static class SingleNodeDemo
{
    /// <summary>How long a finished node stays in the ring so that slower members finish too.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(DemoSettings settings, int node)
    {
        var log = new DeliveryLog();
        log.Delivered += (position, text) => Console.WriteLine($"  #{position,-4} {text}");
        log.ConfigurationChanged += change => Console.WriteLine($"  view: {DeliveryLog.Describe(change)}");
        await using var ring = new RingNode(settings.OptionsFor(node), log);
        Console.WriteLine($"node {node} of {settings.Nodes} listening on {ring.LocalEndPoint}; waiting for the others.");
        ring.Start();

        await MessageGenerator.WaitForAsync(() => ring.Configuration?.Members.Count == settings.Nodes, TimeSpan.FromSeconds(60));
        int expected = settings.Nodes * settings.Count;
        await MessageGenerator.SendAsync(ring, node, settings.Count, CancellationToken.None);
        await MessageGenerator.WaitForAsync(() => log.Count >= expected, TimeSpan.FromSeconds(60));
        Console.WriteLine($"node {node}: {log.Count} messages delivered, order digest {log.Digest()}");
        await Task.Delay(Linger);
        return 0;
    }
}
