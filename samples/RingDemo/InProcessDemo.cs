using System.Text;
using SpreadNet.Ring;

namespace SpreadNet.Samples.RingDemo;

/// <summary>All nodes in this process; prints each position of the total order once every node has delivered it.</summary>
internal static class InProcessDemo
{
    public static async Task<int> RunAsync(DemoSettings settings)
    {
        var logs = Enumerable.Range(0, settings.Nodes).Select(_ => new DeliveryLog()).ToArray();
        var nodes = new List<RingNode>();
        try
        {
            for (int k = 1; k <= settings.Nodes; k++)
            {
                nodes.Add(new RingNode(settings.OptionsFor(k), logs[k - 1]));
            }

            Console.WriteLine($"SpreadNet ring demo: {settings.Nodes} nodes on 127.0.0.1:{settings.BasePort}-{settings.BasePort + settings.Nodes - 1}, in one process.");
            Console.WriteLine("Each line is one position of the ring's total order, shown once every node has delivered it.");
            Console.WriteLine();
            nodes.ForEach(n => n.Start());
            await MessageGenerator.WaitForAsync(() => nodes.All(n => n.Configuration?.Members.Count == settings.Nodes), TimeSpan.FromSeconds(30));
            Console.WriteLine($"Ring formed: {DeliveryLog.Describe(nodes[0].Configuration!)}");
            Console.WriteLine();

            int expected;
            int printed = 0;
            using var printing = new CancellationTokenSource();
            var printer = Task.Run(async () =>
            {
                while (!printing.IsCancellationRequested || printed < logs.Min(l => l.Count))
                {
                    printed = PrintComplete(logs, printed);
                    await Task.Delay(10);
                }
            });

            if (settings.Interactive)
            {
                Console.WriteLine("Type messages for node 1 to send; an empty line ends.");
                int sent = 0;
                while (Console.ReadLine() is { Length: > 0 } line)
                {
                    await nodes[0].SubmitAsync(Encoding.UTF8.GetBytes($"node 1 says \"{line}\""));
                    sent++;
                }

                expected = sent;
            }
            else
            {
                expected = settings.Nodes * settings.Count;
                await Task.WhenAll(nodes.Select((n, i) => MessageGenerator.SendAsync(n, i + 1, settings.Count, CancellationToken.None)));
            }

            await MessageGenerator.WaitForAsync(() => logs.All(l => l.Count >= expected), TimeSpan.FromSeconds(30));
            await printing.CancelAsync();
            await printer;
            return Summarize(logs);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static int PrintComplete(DeliveryLog[] logs, int printed)
    {
        int complete = logs.Min(l => l.Count);
        for (int position = printed + 1; position <= complete; position++)
        {
            string first = logs[0].At(position)!;
            var marks = logs.Select((l, i) => $"n{i + 1}{(l.At(position) == first ? "+" : "!")}");
            Console.WriteLine($"  #{position,-4} {first,-24} {string.Join(' ', marks)}");
        }

        return complete;
    }

    private static int Summarize(DeliveryLog[] logs)
    {
        Console.WriteLine();
        for (int i = 0; i < logs.Length; i++)
        {
            Console.WriteLine($"node {i + 1}: {logs[i].Count} messages delivered, order digest {logs[i].Digest()}");
        }

        bool same = logs.All(l => l.Digest() == logs[0].Digest());
        Console.WriteLine(same
            ? $"All {logs.Length} nodes delivered the same {logs[0].Count} messages in the same order."
            : "The nodes' orders differ: this is a bug, please report it.");
        return same ? 0 : 1;
    }
}
