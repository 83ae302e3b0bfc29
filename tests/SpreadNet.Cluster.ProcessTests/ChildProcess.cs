using System.Diagnostics;
using SpreadNet.Testing;
using System.Text;

namespace SpreadNet.Cluster.ProcessTests;

/// <summary>
/// A process the test started, with its output kept. Stopped by closing its standard input (the
/// demo's silos stop then), killed with its process tree otherwise; disposing kills what still runs.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/>; standard output and error are both kept.</summary>
    public static ChildProcess Start(string name, string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The cluster demo (built beside the tests) with <paramref name="arguments"/>.</summary>
    public static ChildProcess Demo(string name, params string[] arguments) =>
        Start(name, "dotnet", [Path.Combine(AppContext.BaseDirectory, "SpreadNet.ClusterDemo.dll"), .. arguments]);

    /// <summary>Waits until the output contains <paramref name="text"/> <paramref name="times"/> times; fails naming the process and its output.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout, int times = 1)
    {
        var clock = Stopwatch.StartNew();
        while (Occurrences(Output, text) < times)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                Assert.Fail($"{Name} exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"{Name} did not print '{text}' within {timeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to exit by itself; kills it and fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"{Name} did not finish within {timeout.TotalSeconds} s:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the process and its children: a crash.</summary>
    public void Kill() => ChildProcessStop.KillTree(_process);

    /// <summary>Closes standard input (a graceful stop for the demo's silos); kills after <paramref name="timeout"/>.</summary>
    public Task StopAsync(TimeSpan timeout) => ChildProcessStop.StopByClosingInputAsync(_process, timeout);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
        }
    }
}
