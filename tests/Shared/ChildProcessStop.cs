using System.Diagnostics;

namespace SpreadNet.Testing;

/// <summary>
/// How tests end the processes they start (shared, as a linked source file, by the process test
/// projects): a crash kills the whole process tree; a graceful stop closes standard input, which
/// the test programs take as "leave and exit", and kills what has not exited in time.
/// </summary>
internal static class ChildProcessStop
{
    /// <summary>SIGKILL to the process and its children (a crash), then waits for the exit.</summary>
    public static void KillTree(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }

    /// <summary>Closes standard input and waits up to <paramref name="timeout"/> for the exit; kills the tree after it.</summary>
    public static async Task StopByClosingInputAsync(Process process, TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
        }
    }
}
