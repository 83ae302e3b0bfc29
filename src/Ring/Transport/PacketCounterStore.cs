using System.Globalization;

namespace SpreadNet.Ring.Transport;

/// <summary>
/// Keeps a node's packet counters (see <see cref="Wire.PacketProtector"/>) from repeating across
/// restarts even when the wall clock is set back: with a state directory, counters are reserved in
/// blocks of <see cref="Reservation"/>, the end of the block written to a file before the first
/// counter of the block is used, and a restart starts at or above the end written. Without one,
/// only the clock-derived start protects them. Not thread-safe: the event loop's.
/// </summary>
internal sealed class PacketCounterStore(string? directory, NodeId node)
{
    /// <summary>
    /// Counters reserved per write: 2^32 datagrams (days at any UDP rate), and a restart skips at
    /// most that many, about four seconds' worth of the clock-derived start.
    /// </summary>
    public const ulong Reservation = 1UL << 32;

    private readonly string? _path = directory is null ? null : Path.Combine(directory, $"packet-counter-{node}.txt");

    /// <summary>Counters below this may be used without writing first.</summary>
    public ulong ReservedUpTo { get; private set; }

    /// <summary>
    /// The first counter of this run: the clock-derived <paramref name="clockCounter"/>, or the end
    /// of the last block an earlier run reserved if that is higher; reserves the first block.
    /// </summary>
    public ulong Start(ulong clockCounter)
    {
        ulong first = Math.Max(clockCounter, LoadSaved());
        Reserve(first);
        return first;
    }

    /// <summary>Makes <paramref name="next"/> usable, writing a new block end first when it is not yet reserved.</summary>
    public void EnsureReserved(ulong next)
    {
        if (next >= ReservedUpTo)
        {
            Reserve(next);
        }
    }

    private void Reserve(ulong from)
    {
        ulong end = from + Reservation;
        if (_path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            string temporary = _path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(end.ToString(CultureInfo.InvariantCulture));
            }

            File.Move(temporary, _path, overwrite: true);
        }

        ReservedUpTo = end;
    }

    private ulong LoadSaved()
    {
        if (_path is null || !File.Exists(_path))
        {
            return 0;
        }

        string text = File.ReadAllText(_path).Trim();
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong saved))
        {
            throw new RingConfigurationException(nameof(RingOptions.StateDirectory), $"holds a damaged file {_path} ('{text}')", "delete the file; the node then takes its packet counters from the wall clock");
        }

        return saved;
    }
}
