using System.Globalization;

namespace SpreadNet.Cluster.ProcessTests;

/// <summary>
/// The cluster demo's silos as separate processes on 127.0.0.1 with free ports; every process
/// started is stopped (or killed) on dispose.
/// </summary>
internal sealed class DemoCluster : IAsyncDisposable
{
    public const string PassLine = "PASS: every member saw the same order and the same views, with the same notices between them";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly string[] _clustering;
    private readonly ChildProcess?[] _silos;
    private readonly List<ChildProcess> _all = [];

    public DemoCluster(int silos, params string[] clustering)
    {
        var taken = new HashSet<int>();
        Ports =
        [
            "--address", "127.0.0.1",
            "--silos", silos.ToString(CultureInfo.InvariantCulture),
            "--silo-port", Port(silos, taken),
            "--gateway-port", Port(silos, taken),
            "--ring-port", Port(silos, taken),
            "--group-ring-port", Port(silos, taken),
            "--cluster-id", $"test-{Guid.NewGuid():N}",
        ];
        _clustering = clustering;
        _silos = new ChildProcess?[silos];
    }

    /// <summary>The address, port and cluster flags every process of this cluster gets.</summary>
    public string[] Ports { get; }

    public ChildProcess Silo(int silo) => _silos[silo - 1] ?? throw new InvalidOperationException($"silo {silo} was not started");

    /// <summary>Starts silo <paramref name="silo"/> (1-based) and waits until it runs.</summary>
    public async Task StartSiloAsync(int silo)
    {
        var process = ChildProcess.Demo($"silo{silo}", [.. Ports, .. _clustering, "--silo", silo.ToString(CultureInfo.InvariantCulture)]);
        _all.Add(process);
        _silos[silo - 1] = process;
        await process.WaitForOutputAsync($"silo{silo} running", Timeout);
    }

    /// <summary>Runs the client mode to its end; returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunClientAsync()
    {
        var client = ChildProcess.Demo("client", [.. Ports, .. _clustering, "--client", "--count", "3"]);
        _all.Add(client);
        int exitCode = await client.WaitForExitAsync(Timeout);
        return (exitCode, client.Output);
    }

    /// <summary>Every silo's output, for failure messages.</summary>
    public string Outputs() => string.Join("\n", _all.Select(p => $"--- {p.Name} ---\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_all))
        {
            await process.StopAsync(TimeSpan.FromSeconds(20));
            process.Dispose();
        }
    }

    private static string Port(int count, HashSet<int> taken) =>
        PortBlocks.Free(count, taken).ToString(CultureInfo.InvariantCulture);
}
