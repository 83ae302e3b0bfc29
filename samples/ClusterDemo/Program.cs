using SpreadNet.Samples.ClusterDemo;

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

if (settings.Help)
{
    Console.WriteLine(DemoSettings.Usage);
    return 0;
}

if (settings.Silo is int silo)
{
    return await SiloProcess.RunAsync(settings, silo);
}

return settings.Client
    ? await ClientProcess.RunAsync(settings)
    : await InProcessDemo.RunAsync(settings);
