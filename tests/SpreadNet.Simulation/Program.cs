using SpreadNet.Simulation;

var line = CommandLine.Parse(args, out string? error);
if (line is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

return line.Seed is { } seed ? RunOne(seed, line) : RunMany(line);

static int RunOne(int seed, CommandLine line)
{
    var scenario = Scenario.FromSeed(seed, line.Faults, line.Groups);
    Console.WriteLine(scenario.Describe());
    SimulationResult result;
    if (line.Trace)
    {
        using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        result = new SimulationRun(scenario, new TraceLog(output)).Execute();
    }
    else
    {
        result = new SimulationRun(scenario).Execute();
    }

    Console.WriteLine(result);
    foreach (var violation in result.Violations)
    {
        Console.WriteLine(violation);
    }

    if (!result.Passed)
    {
        Console.WriteLine($"replay: {SeedSweep.ReplayCommand(seed, line.Faults, line.Groups)}");
    }

    return result.Passed ? 0 : 1;
}

static int RunMany(CommandLine line)
{
    var gate = new object();
    Console.WriteLine($"running seeds {line.Start}..{line.Start + line.Seeds - 1}, faults {line.Faults}, groups {(line.Groups ? "on" : "off")}, {Environment.ProcessorCount} threads");
    var sweep = SeedSweep.Run(
        line.Start,
        line.Seeds,
        line.Faults,
        groups: line.Groups,
        onFailure: result =>
        {
            lock (gate)
            {
                Console.WriteLine($"FAIL seed {result.Scenario.Seed}: {result.Violations[0]}");
                Console.WriteLine($"  replay: {SeedSweep.ReplayCommand(result.Scenario.Seed, line.Faults, line.Groups)}");
            }
        },
        onProgress: (done, failed) =>
        {
            lock (gate)
            {
                Console.WriteLine($"  {done}/{line.Seeds} seeds, {failed} failing");
            }
        });

    Console.WriteLine($"elapsed {sweep.Elapsed.TotalSeconds:F1}s");
    if (sweep.SlowestLine is { } slowest)
    {
        Console.WriteLine(slowest);
    }

    if (sweep.Groups is { } groups)
    {
        Console.WriteLine($"group workload: {groups}");
    }

    if (sweep.Failures.Count > 0)
    {
        const int Listed = 200;
        string more = sweep.Failures.Count > Listed ? $" ... ({sweep.Failures.Count - Listed} more)" : "";
        Console.WriteLine($"failing seeds: {string.Join(' ', sweep.Failures.Take(Listed).Select(f => f.Scenario.Seed))}{more}");
    }

    Console.WriteLine(sweep.Summary);
    return sweep.Failures.Count == 0 ? 0 : 1;
}
