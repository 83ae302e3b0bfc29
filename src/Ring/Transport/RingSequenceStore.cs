using System.Globalization;

namespace SpreadNet.Ring.Transport;

/// <summary>
/// Keeps the highest ring sequence a node used, so that ring ids are never reused after a restart.
/// With a state directory it is a small file written before each new ring is used; without one the
/// floor is the wall clock in milliseconds, which is monotonic across restarts unless the clock is
/// set back further than the time between restarts.
/// </summary>
internal sealed class RingSequenceStore(string? directory, NodeId node, TimeProvider timeProvider)
{
    private readonly string? _path = directory is null ? null : Path.Combine(directory, $"ring-sequence-{node}.txt");

    public ulong LoadFloor()
    {
        ulong clock = (ulong)timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        if (_path is null || !File.Exists(_path))
        {
            return clock;
        }

        string text = File.ReadAllText(_path).Trim();
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong saved))
        {
            throw new RingConfigurationException(nameof(RingOptions.StateDirectory), $"holds a damaged file {_path} ('{text}')", "delete the file; the node then starts from the wall clock");
        }

        return Math.Max(saved, clock);
    }

    public void Save(ulong sequence)
    {
        if (_path is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        string temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(sequence.ToString(CultureInfo.InvariantCulture));
        }

        File.Move(temporary, _path, overwrite: true);
    }
}
