using System.Globalization;
using System.Text;
using SpreadNet.Ring;

namespace SpreadNet.Samples.RingDemo;

/// <summary>Sends a node's generated messages at random intervals, so senders interleave.</summary>
internal static class MessageGenerator
{
    public static async Task SendAsync(RingNode node, int nodeNumber, int count, CancellationToken cancellationToken)
    {
        var random = new Random(nodeNumber);
        for (int i = 1; i <= count; i++)
        {
            await Task.Delay(random.Next(20, 200), cancellationToken);
            string text = string.Create(CultureInfo.InvariantCulture, $"node {nodeNumber} says #{i}");
            await node.SubmitAsync(Encoding.UTF8.GetBytes(text), ServiceType.Agreed, cancellationToken);
        }
    }

    public static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The ring did not deliver every message in time.");
            }

            await Task.Delay(20);
        }
    }
}
