using System.Diagnostics;

namespace SpreadNet.Testing;

/// <summary>Polls a condition until it holds, shared (as a linked source file) by the cluster test projects.</summary>
internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds; throws naming <paramref name="what"/> (and <paramref name="state"/>) after <paramref name="timeout"/>.</summary>
    public static async Task ReachAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string>? state = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds} s: {what}. {state?.Invoke()}");
            }

            await Task.Delay(20);
        }
    }
}
