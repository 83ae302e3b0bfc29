using System.Runtime.InteropServices;
using SpreadNet.Ring;
using SpreadNet.Ring.NodeHost;

HostSettings settings;
try
{
    settings = HostSettings.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var log = new DeliveryLogWriter(settings.LogPath);
var options = new RingOptions { ListenEndPoint = settings.Listen, StateDirectory = settings.StateDirectory }.ApplyPreset(settings.Preset);
foreach (var seed in settings.Seeds)
{
    options.Seeds.Add(seed);
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
_ = Task.Run(() =>
{
    // The parent closing our standard input also means stop (so no process outlives its test).
    while (Console.In.Read() >= 0)
    {
    }

    stop.Cancel();
});

var node = new RingNode(options, log);
node.EventRaised += log.OnEvent;
node.Start();
_ = node.Completion.ContinueWith(
    t =>
    {
        // A failed event loop is a bug: leave the evidence in the log and stop the process.
        log.OnFault(t.Exception!.InnerException!);
        Environment.Exit(3);
    },
    CancellationToken.None,
    TaskContinuationOptions.OnlyOnFaulted,
    TaskScheduler.Default);
Console.WriteLine($"ready {node.Id}");
long counter = 0;
try
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / Math.Max(1, settings.Rate)));
    while (await timer.WaitForNextTickAsync(stop.Token))
    {
        if (settings.Rate > 0 && node.Configuration is not null)
        {
            await node.SubmitAsync(DeliveryLogWriter.Payload(node.Id, (ulong)settings.Incarnation, counter++), counter % 4 == 0 ? ServiceType.Safe : ServiceType.Agreed, stop.Token);
        }
    }
}
catch (OperationCanceledException)
{
    // Asked to stop.
}

await node.DisposeAsync();
return 0;
