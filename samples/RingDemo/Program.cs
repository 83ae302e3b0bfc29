using SpreadNet.Samples.RingDemo;

DemoSettings settings;
try
{
    settings = DemoSettings.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (settings.Node is int node)
{
    return await SingleNodeDemo.RunAsync(settings, node);
}

return settings.Processes
    ? await ProcessesDemo.RunAsync(settings)
    : await InProcessDemo.RunAsync(settings);
