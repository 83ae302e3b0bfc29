using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

public class ReplayWindowTests
{
    [Fact]
    public void TryAccept_InOrder_EachOnce()
    {
        var window = new ReplayWindow();
        for (ulong counter = 5_000; counter < 8_000; counter++)
        {
            Assert.True(window.TryAccept(counter));
            Assert.False(window.TryAccept(counter));
        }

        Assert.Equal(7_999UL, window.Highest);
    }

    [Fact]
    public void TryAccept_ReorderedWithinTheWindow_EachOnce()
    {
        var window = new ReplayWindow();
        var random = new Random(7);
        var counters = Enumerable.Range(0, 20_000).Select(i => (ulong)i + 1_000_000).ToArray();

        // Shuffle within blocks narrower than the window: every counter is still told apart.
        for (int block = 0; block < counters.Length; block += 500)
        {
            random.Shuffle(counters.AsSpan(block, Math.Min(500, counters.Length - block)));
        }

        foreach (ulong counter in counters)
        {
            Assert.True(window.TryAccept(counter), $"counter {counter}");
        }

        foreach (ulong counter in counters.TakeLast(ReplayWindow.Width))
        {
            Assert.False(window.TryAccept(counter));
        }
    }

    [Fact]
    public void TryAccept_AtTheWindowEdge_InsideAcceptedOutsideRefused()
    {
        var window = new ReplayWindow();
        Assert.True(window.TryAccept(10_000));

        Assert.True(window.TryAccept(10_000 - ReplayWindow.Width + 1));
        Assert.False(window.TryAccept(10_000 - ReplayWindow.Width));
        Assert.False(window.TryAccept(0));
    }

    [Fact]
    public void TryAccept_JumpFarAhead_ForgetsEverythingBelowTheNewWindow()
    {
        var window = new ReplayWindow();
        for (ulong counter = 100; counter < 200; counter++)
        {
            window.TryAccept(counter);
        }

        Assert.True(window.TryAccept(100_000));
        Assert.False(window.TryAccept(150));
        Assert.True(window.TryAccept(99_999));
        Assert.False(window.IsFresh(99_999));
        Assert.True(window.IsFresh(99_998));
    }

    [Fact]
    public void TryAccept_JumpByLessThanTheWindow_KeepsTheOverlapAndClearsReusedBits()
    {
        var window = new ReplayWindow();
        for (ulong counter = 1_000; counter < 1_100; counter++)
        {
            window.TryAccept(counter);
        }

        // Jumps that reuse bit positions of old counters: new counters must not look seen.
        Assert.True(window.TryAccept(1_000 + ReplayWindow.Width + 50));
        for (ulong counter = 1_100; counter < 1_000 + ReplayWindow.Width + 50; counter++)
        {
            Assert.True(window.IsFresh(counter) == (counter > 50 + 1_000), $"counter {counter}");
        }

        Assert.False(window.IsFresh(1_060));
        Assert.False(window.IsFresh(1_050));
    }
}
