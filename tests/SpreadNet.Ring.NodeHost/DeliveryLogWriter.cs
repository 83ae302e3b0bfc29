using System.Buffers.Binary;
using System.Globalization;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.NodeHost;

/// <summary>
/// Writes what the node delivers, one line each, flushed at once so that a killed process leaves a
/// complete prefix: <c>C kind ringRep ringSeq prevRep prevSeq member,member,...</c> for a
/// configuration, <c>D ringRep ringSeq seq index service sender incarnation counter</c> for a
/// message (ids in hex), <c>E kind text</c> for an event.
/// </summary>
internal sealed class DeliveryLogWriter : IDeliveryHandler, IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public DeliveryLogWriter(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>Payload: sender node id, incarnation (which start of the node), per-incarnation counter.</summary>
    public static byte[] Payload(NodeId sender, ulong incarnation, long counter)
    {
        var payload = new byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(payload, sender.Value);
        BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(8), incarnation);
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(16), counter);
        return payload;
    }

    public void OnDelivery(in Delivery delivery)
    {
        var p = delivery.Payload;
        if (p.Length < 24)
        {
            return;
        }

        string line = string.Create(CultureInfo.InvariantCulture,
            $"D {delivery.Ring.Representative} {delivery.Ring.Sequence} {delivery.Sequence} {delivery.Index} {delivery.Service} {BinaryPrimitives.ReadUInt64BigEndian(p):x} {BinaryPrimitives.ReadUInt64BigEndian(p[8..]):x} {BinaryPrimitives.ReadInt64BigEndian(p[16..])}");
        Write(line);
    }

    public void OnConfiguration(ConfigurationChange change) =>
        Write(string.Create(CultureInfo.InvariantCulture,
            $"C {change.Kind} {change.Ring.Representative} {change.Ring.Sequence} {change.PreviousRing.Representative} {change.PreviousRing.Sequence} {string.Join(',', change.Members)}"));

    public void OnEvent(RingEvent ringEvent) => Write($"E {ringEvent.Kind} {ringEvent.Message}");

    public void OnFault(Exception exception) => Write($"F {exception.ToString().ReplaceLineEndings(" | ")}");

    public void Dispose() => _writer.Dispose();

    private void Write(string line)
    {
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }
}
