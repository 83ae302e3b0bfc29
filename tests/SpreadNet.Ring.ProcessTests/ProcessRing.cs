using System.Net;
using System.Net.Sockets;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.ProcessTests;

/// <summary>
/// Node-host processes forming one ring, each with its own log and state folder under a temporary
/// folder. Disposing kills every process still running and deletes the folder.
/// </summary>
internal sealed class ProcessRing : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spreadnet-process-ring-").FullName;
    private readonly Dictionary<int, NodeProcess> _running = [];
    private readonly Dictionary<int, int> _incarnations = [];
    private readonly Func<int, string[]?> _wrapperOf;

    public ProcessRing(IReadOnlyList<IPEndPoint> endPoints, int rate, Func<int, string[]?>? wrapperOf = null)
    {
        EndPoints = endPoints;
        Rate = rate;
        _wrapperOf = wrapperOf ?? (_ => null);
    }

    public IReadOnlyList<IPEndPoint> EndPoints { get; }

    public int Rate { get; }

    /// <summary>Every log written so far, one per process incarnation, in start order.</summary>
    public List<(int Node, int Incarnation, string Path)> Logs { get; } = [];

    /// <summary>Incarnations ended by SIGKILL (node, incarnation).</summary>
    public HashSet<(int Node, int Incarnation)> Killed { get; } = [];

    public NodeId IdOf(int node) => NodeId.FromEndPoint(EndPoints[node]);

    public void Start(int node)
    {
        int incarnation = _incarnations[node] = _incarnations.GetValueOrDefault(node, -1) + 1;
        string log = Path.Combine(_folder, $"node{node}-{incarnation}.log");
        Logs.Add((node, incarnation, log));
        _running[node] = NodeProcess.Start(EndPoints[node], EndPoints, log, Path.Combine(_folder, $"state{node}"), Rate, incarnation, _wrapperOf(node));
    }

    public void StartAll()
    {
        for (int i = 0; i < EndPoints.Count; i++)
        {
            Start(i);
        }
    }

    public void Kill(int node)
    {
        Killed.Add((node, _incarnations[node]));
        _running[node].Kill();
        _running[node].Dispose();
        _running.Remove(node);
    }

    public async Task StopAllAsync()
    {
        await Task.WhenAll(_running.Values.Select(p => p.StopAsync(TimeSpan.FromSeconds(10))));
        foreach (var process in _running.Values)
        {
            process.Dispose();
        }

        _running.Clear();
    }

    /// <summary>The last regular configuration in the current log of <paramref name="node"/>.</summary>
    public ConfigurationEntry? CurrentConfiguration(int node) =>
        NodeLogFile.Read(Logs.Last(l => l.Node == node).Path).OfType<ConfigurationEntry>().LastOrDefault(c => c.Kind == ConfigurationKind.Regular);

    /// <summary>Waits until each of <paramref name="nodes"/> operates in a ring of exactly those nodes.</summary>
    public async Task WaitForRingAsync(IReadOnlyCollection<int> nodes, TimeSpan timeout)
    {
        var expected = nodes.Select(IdOf).Order().ToArray();
        var deadline = DateTime.UtcNow + timeout;
        while (!nodes.All(n => CurrentConfiguration(n)?.Members.SequenceEqual(expected) == true))
        {
            foreach (var (node, process) in _running)
            {
                Assert.False(process.HasExited, $"Node {node} exited: {ReadError(node)}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for a ring of nodes {string.Join(",", nodes)}.\n{History()}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        foreach (var process in _running.Values)
        {
            process.Dispose();
        }

        _running.Clear();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A log still held open by a dying process: the OS cleans temp folders.
        }
    }

    /// <summary>The configurations and events in every log, for failure messages.</summary>
    public string History() =>
        string.Join("\n", Logs.Select(l => $"{Path.GetFileName(l.Path)}:\n  " + string.Join("\n  ", File.Exists(l.Path)
            ? File.ReadLines(l.Path).Where(line => line[0] is 'C' or 'E').TakeLast(12)
            : [])));

    private string ReadError(int node)
    {
        string path = Logs.Last(l => l.Node == node).Path + ".stderr";
        return File.Exists(path) ? File.ReadAllText(path) : "(no output)";
    }
}
