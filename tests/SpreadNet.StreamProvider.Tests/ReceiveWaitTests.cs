using Orleans.Runtime;
using SpreadNet.StreamProvider.Providers;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>The queue buffer's wait for the next event, which a receiver with nothing to hand out awaits.</summary>
public sealed class ReceiveWaitTests
{
    private static readonly RingPosition First = new(1, 10, 0);
    private static readonly RingPosition Second = new(1, 11, 0);

    [Fact]
    public void WhenEventAfter_EventAlreadyHeld_CompletesAtOnce()
    {
        var buffer = new QueueBuffer(0, new SpreadStreamOptions(), TimeProvider.System);
        buffer.Append(First, [1]);

        Assert.True(buffer.WhenEventAfter(null).IsCompleted);
    }

    [Fact]
    public void WhenEventAfter_NothingAfterPosition_CompletesAtTheNextAppend()
    {
        var buffer = new QueueBuffer(0, new SpreadStreamOptions(), TimeProvider.System);
        buffer.Append(First, [1]);

        var waiting = buffer.WhenEventAfter(First);
        Assert.False(waiting.IsCompleted);
        buffer.Append(Second, [2]);

        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public void Wake_ReceiverWaiting_CompletesTheWaitWithoutAnEvent()
    {
        var buffer = new QueueBuffer(0, new SpreadStreamOptions(), TimeProvider.System);

        var waiting = buffer.WhenEventAfter(null);
        Assert.False(waiting.IsCompleted);
        buffer.Wake();

        Assert.True(waiting.IsCompletedSuccessfully);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Validate_NegativeReceiveWait_NamesSettingAndFix()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => SpreadStreamOptionsValidator.Validate("spread", new SpreadStreamOptions { MaxReceiveWait = TimeSpan.FromMilliseconds(-1) }));
        Assert.Contains("MaxReceiveWait", error.Message, StringComparison.Ordinal);
        Assert.Contains("zero (poll only) to 30 seconds", error.Message, StringComparison.Ordinal);
    }
}
