using System.Buffers.Binary;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>
/// Records each delivered message's identity (sender number, per-sender counter, service) in a
/// preallocated array, so recording costs the ring nothing.
/// </summary>
internal sealed class DeliveryRecorder(int capacity) : IDeliveryHandler
{
    private readonly long[] _identities = new long[capacity];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public ReadOnlySpan<long> Identities => _identities.AsSpan(0, Count);

    public static byte[] Payload(int sender, int counter, ServiceType service, int size)
    {
        var payload = new byte[Math.Max(size, 9)];
        BinaryPrimitives.WriteInt32BigEndian(payload, sender);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), counter);
        payload[8] = (byte)service;
        return payload;
    }

    public static (int Sender, int Counter, ServiceType Service) Decode(long identity) =>
        ((int)(identity >> 40), (int)(identity & 0xFFFFFFFF), (ServiceType)((identity >> 32) & 0xFF));

    public void OnDelivery(in Delivery delivery)
    {
        var payload = delivery.Payload;
        Assert.True(payload.Length >= 9, "A delivered payload is shorter than any sent.");
        Assert.Equal(payload[8], (byte)delivery.Service);
        long identity = ((long)BinaryPrimitives.ReadInt32BigEndian(payload) << 40)
            | ((long)payload[8] << 32)
            | (uint)BinaryPrimitives.ReadInt32BigEndian(payload[4..]);
        int index = _count;
        if (index < _identities.Length)
        {
            _identities[index] = identity;
        }

        Volatile.Write(ref _count, index + 1);
    }
}
