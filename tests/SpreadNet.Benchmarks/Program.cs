using SpreadNet.Benchmarks;
using SpreadNet.Ring;

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchSettings.Usage);
    return 2;
}

if (settings.Help)
{
    Console.WriteLine(BenchSettings.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var results = new List<ScenarioResult>();
var log = Console.Out;
try
{
    if (settings.RunsRing)
    {
        foreach (int size in settings.RingSizes)
        {
            foreach (var service in settings.Services)
            {
                results.Add(await RingScenario.RunAsync(settings, size, service, log, cancel.Token));
            }
        }
    }

    if (settings.RunsFailover)
    {
        results.AddRange(await FailoverScenario.RunAsync(settings, log, cancel.Token));
    }

    if (settings.RunsSideBySide)
    {
        results.AddRange(await SideBySideScenario.RunAsync(settings, log, cancel.Token));
    }

    if (settings.RunsStreams)
    {
        results.AddRange(await SpreadNet.Benchmarks.Streams.StreamsScenario.RunAsync(settings, log, cancel.Token));
    }

    if (settings.RunsGroups)
    {
        results.AddRange(await SpreadNet.Benchmarks.Groups.GroupsScenario.RunAsync(settings, log, cancel.Token));
    }

    if (settings.RunsUdp)
    {
        foreach (int size in settings.UdpSizes)
        {
            results.Add(await UdpScenario.RunAsync(settings, size, log, cancel.Token));
        }
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    log.WriteLine("Interrupted: results so far follow.");
}
catch (RingConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

TablePrinter.Print(results, log);
if (settings.JsonPath is { } path)
{
    await ResultsJson.WriteAsync(path, results);
    log.WriteLine($"Results written to {Path.GetFullPath(path)}");
}

return results.Any(r => r.OrderCheck == false) ? 1 : 0;
