using System.Globalization;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.ProcessTests;

/// <summary>One line of a node's delivery log (see the node host's DeliveryLogWriter).</summary>
internal abstract record LogEntry;

/// <summary>A configuration change.</summary>
internal sealed record ConfigurationEntry(ConfigurationKind Kind, RingId Ring, RingId PreviousRing, IReadOnlyList<NodeId> Members) : LogEntry;

/// <summary>A delivered message: its position and its identity (sender, sender incarnation, counter).</summary>
internal sealed record DeliveryEntry(RingId Ring, long Sequence, int Index, ServiceType Service, NodeId Sender, ulong Incarnation, long Counter) : LogEntry;

/// <summary>An event the node reported.</summary>
internal sealed record EventEntry(RingEventKind Kind, string Message) : LogEntry;

/// <summary>Reads a node's log; a killed node may leave a torn last line, which is ignored.</summary>
internal static class NodeLogFile
{
    public static List<LogEntry> Read(string path)
    {
        var entries = new List<LogEntry>();
        if (!File.Exists(path))
        {
            return entries;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (TryParse(line, out var entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static bool TryParse(string line, out LogEntry entry)
    {
        entry = null!;
        var f = line.Split(' ');
        try
        {
            switch (f[0])
            {
                case "C" when f.Length == 7:
                    entry = new ConfigurationEntry(
                        Enum.Parse<ConfigurationKind>(f[1]),
                        new RingId(Id(f[2]), ulong.Parse(f[3], CultureInfo.InvariantCulture)),
                        new RingId(Id(f[4]), ulong.Parse(f[5], CultureInfo.InvariantCulture)),
                        [.. f[6].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Id)]);
                    return true;
                case "D" when f.Length == 9:
                    entry = new DeliveryEntry(
                        new RingId(Id(f[1]), ulong.Parse(f[2], CultureInfo.InvariantCulture)),
                        long.Parse(f[3], CultureInfo.InvariantCulture),
                        int.Parse(f[4], CultureInfo.InvariantCulture),
                        Enum.Parse<ServiceType>(f[5]),
                        Id(f[6]),
                        ulong.Parse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                        long.Parse(f[8], CultureInfo.InvariantCulture));
                    return true;
                case "E" when f.Length >= 2:
                    entry = new EventEntry(Enum.Parse<RingEventKind>(f[1]), string.Join(' ', f.Skip(2)));
                    return true;
                default:
                    return false;
            }
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static NodeId Id(string hex) => new(ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
