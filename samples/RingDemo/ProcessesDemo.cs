using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SpreadNet.Samples.RingDemo;

/// <summary>Starts one child process per node, relays their output and compares their order digests.</summary>
internal static partial class ProcessesDemo
{
    public static async Task<int> RunAsync(DemoSettings settings)
    {
        Console.WriteLine($"SpreadNet ring demo: {settings.Nodes} nodes, one process each, on 127.0.0.1:{settings.BasePort}-{settings.BasePort + settings.Nodes - 1}.");
        var digests = new string?[settings.Nodes];
        var children = new List<Process>();
        try
        {
            for (int k = 1; k <= settings.Nodes; k++)
            {
                children.Add(StartChild(settings, k, digests));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await Task.WhenAll(children.Select(c => c.WaitForExitAsync(timeout.Token)));
        }
        finally
        {
            foreach (var child in children.Where(c => !c.HasExited))
            {
                child.Kill(entireProcessTree: true);
            }

            children.ForEach(c => c.Dispose());
        }

        bool same = digests.All(d => d is not null && d == digests[0]);
        Console.WriteLine(same
            ? $"All {settings.Nodes} processes delivered the same messages in the same order (digest {digests[0]})."
            : "The processes' orders differ or a process did not finish.");
        return same ? 0 : 1;
    }

    private static Process StartChild(DemoSettings settings, int node, string?[] digests)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Under "dotnet RingDemo.dll" the host needs the assembly path; the app host does not.
        string entry = Environment.GetCommandLineArgs()[0];
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(entry);
        }

        foreach (string arg in new[] { "--node", Str(node), "--nodes", Str(settings.Nodes), "--count", Str(settings.Count), "--port", Str(settings.BasePort) })
        {
            start.ArgumentList.Add(arg);
        }

        var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start a node process.");
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            Console.WriteLine($"[node {node}] {e.Data}");
            if (DigestLine().Match(e.Data) is { Success: true } match)
            {
                digests[node - 1] = match.Groups[1].Value;
            }
        };
        child.BeginOutputReadLine();
        return child;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("order digest ([0-9A-F]+)")]
    private static partial Regex DigestLine();
}
