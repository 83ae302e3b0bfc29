using System.Diagnostics;
using SpreadNet.Testing;
using System.Net;

namespace SpreadNet.Ring.ProcessTests;

/// <summary>
/// One SpreadNet.Ring.NodeHost process. Stopped gracefully by closing its standard input, killed
/// with SIGKILL to simulate a crash; a process still running when disposed is killed.
/// </summary>
internal sealed class NodeProcess : IDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, IPEndPoint endPoint, string logPath)
    {
        _process = process;
        EndPoint = endPoint;
        LogPath = logPath;
    }

    public IPEndPoint EndPoint { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a node; <paramref name="wrapper"/> (e.g. "ip netns exec ns1") runs it inside another command.</summary>
    public static NodeProcess Start(IPEndPoint endPoint, IEnumerable<IPEndPoint> seeds, string logPath, string stateDirectory, int rate, int incarnation, string[]? wrapper = null)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "SpreadNet.Ring.NodeHost.dll");
        var arguments = new List<string>(wrapper ?? []);
        arguments.AddRange(["dotnet", host, "--listen", endPoint.ToString(), "--log", logPath, "--rate", rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "--preset", "vital", "--state-dir", stateDirectory, "--incarnation", incarnation.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        foreach (var seed in seeds)
        {
            arguments.AddRange(["--seed", seed.ToString()]);
        }

        var start = new ProcessStartInfo(arguments[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a node process.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                File.AppendAllText(logPath + ".stderr", e.Data + Environment.NewLine);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NodeProcess(process, endPoint, logPath);
    }

    /// <summary>SIGKILL: the process gets no chance to tell anyone.</summary>
    public void Kill() => ChildProcessStop.KillTree(_process);

    /// <summary>Asks the node to leave the ring and exit; kills it if it does not within the timeout.</summary>
    public Task StopAsync(TimeSpan timeout) => ChildProcessStop.StopByClosingInputAsync(_process, timeout);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
