using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SpreadNet.Ring;

/// <summary>
/// Identifies one ring node. Ids are totally ordered; the lowest id in a configuration is its
/// representative. <see cref="None"/> (zero) never names a node.
/// </summary>
public readonly record struct NodeId(ulong Value) : IComparable<NodeId>
{
    /// <summary>The id that names no node.</summary>
    public static NodeId None { get; }

    /// <summary>Whether this id names a node.</summary>
    public bool IsNone => Value == 0;

    /// <summary>
    /// Derives a node id from the node's IPv4 endpoint (address in the high 32 bits of the low
    /// 48, port in the low 16), so that two nodes can never pick the same id by accident.
    /// </summary>
    public static NodeId FromEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException(
                $"Cannot derive a node id from '{endPoint}': only IPv4 endpoints are supported so far. Set RingOptions.NodeId explicitly.",
                nameof(endPoint));
        }

        if (endPoint.Port == 0 || endPoint.Address.Equals(IPAddress.Any))
        {
            throw new ArgumentException(
                $"Cannot derive a node id from '{endPoint}': use the node's concrete address and port, not a wildcard.",
                nameof(endPoint));
        }

        Span<byte> address = stackalloc byte[4];
        endPoint.Address.TryWriteBytes(address, out _);
        ulong ip = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address);
        return new NodeId((ip << 16) | (uint)endPoint.Port);
    }

    /// <summary>The IPv4 endpoint an id made by <see cref="FromEndPoint"/> stands for.</summary>
    public IPEndPoint ToEndPoint()
    {
        Span<byte> address = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(address, (uint)(Value >> 16));
        return new IPEndPoint(new IPAddress(address), (int)(Value & 0xFFFF));
    }

    /// <inheritdoc />
    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);

    /// <summary>Orders ids.</summary>
    public static bool operator <(NodeId left, NodeId right) => left.Value < right.Value;

    /// <summary>Orders ids.</summary>
    public static bool operator >(NodeId left, NodeId right) => left.Value > right.Value;

    /// <summary>Orders ids.</summary>
    public static bool operator <=(NodeId left, NodeId right) => left.Value <= right.Value;

    /// <summary>Orders ids.</summary>
    public static bool operator >=(NodeId left, NodeId right) => left.Value >= right.Value;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("x", CultureInfo.InvariantCulture);
}
