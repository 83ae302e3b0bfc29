using System.Net;

namespace SpreadNet.Ring;

/// <summary>
/// Settings of one ring node. Timeouts and flow-control settings must be the same on every node
/// of a ring. Defaults suit a LAN; <see cref="Validate"/> checks every rule at start-up.
/// </summary>
public sealed class RingOptions
{
    /// <summary>The address and UDP port this node listens on. Required.</summary>
    public IPEndPoint? ListenEndPoint { get; set; }

    /// <summary>
    /// This node's id. Default: derived from <see cref="ListenEndPoint"/>
    /// (<see cref="NodeId.FromEndPoint"/>).
    /// </summary>
    public NodeId? NodeId { get; set; }

    /// <summary>Every member of the ring, this node included.</summary>
    public IList<IPEndPoint> Members { get; } = new List<IPEndPoint>();

    /// <summary>Largest datagram this node sends or accepts, in bytes. Default 65,000 (loopback and LANs that pass IP fragments); use 1,400 where they do not.</summary>
    public int MaxDatagramSize { get; set; } = 65_000;

    /// <summary>Largest application message, in bytes; larger messages are fragmented over several datagrams. Default 1 MiB.</summary>
    public int MaxMessageSize { get; set; } = 1 << 20;

    /// <summary>Most data packets (new and retransmitted) the whole ring sends in one token rotation. Default 64.</summary>
    public int WindowSize { get; set; } = 64;

    /// <summary>Most data packets one node sends in one token visit. Default 16.</summary>
    public int MaxPacketsPerVisit { get; set; } = 16;

    /// <summary>Most retransmission requests the token carries. Default 128.</summary>
    public int MaxRetransmitRequests { get; set; } = 128;

    /// <summary>Data packets a node keeps, by sequence number, ahead of what it has delivered; a power of two. Default 4,096.</summary>
    public int ReceiveWindow { get; set; } = 4096;

    /// <summary>Packed data packets waiting for the token before submitters are held back. Default 256.</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>Time without the token after which it is declared lost. Default 1 s.</summary>
    public TimeSpan TokenLossTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time after forwarding the token without seeing progress before sending it again. Default 100 ms.</summary>
    public TimeSpan TokenRetransmitTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest time the representative holds the token while the ring is idle. Default 200 ms.</summary>
    public TimeSpan TokenHoldTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Socket send and receive buffer size requested from the OS, in bytes. Default 4 MiB.</summary>
    public int SocketBufferSize { get; set; } = 4 << 20;

    /// <summary>
    /// Checks every setting and throws <see cref="RingConfigurationException"/> naming the first
    /// one that is wrong, its value and how to fix it.
    /// </summary>
    public void Validate()
    {
        if (ListenEndPoint is null)
        {
            throw new RingConfigurationException(nameof(ListenEndPoint), "not set", "set it to this node's address and UDP port, for example 127.0.0.1:4803");
        }

        if (Members.Count == 0)
        {
            throw new RingConfigurationException(nameof(Members), "empty", "list every ring member's endpoint, this node's included");
        }

        if (!Members.Contains(ListenEndPoint))
        {
            throw new RingConfigurationException(nameof(Members), $"does not contain this node's ListenEndPoint {ListenEndPoint}", "add this node's own endpoint to Members");
        }

        if (Members.Distinct().Count() != Members.Count)
        {
            throw new RingConfigurationException(nameof(Members), "lists an endpoint twice", "list each member once");
        }

        Require(MaxDatagramSize is >= 1024 and <= 65_507, nameof(MaxDatagramSize), MaxDatagramSize, "use a value from 1,024 to 65,507 (the largest UDP payload)");
        Require(MaxMessageSize is >= 1 and <= 64 << 20, nameof(MaxMessageSize), MaxMessageSize, "use a value from 1 byte to 64 MiB");
        Require(WindowSize is >= 1 and <= 4096, nameof(WindowSize), WindowSize, "use a value from 1 to 4,096 packets");
        Require(MaxPacketsPerVisit >= 1 && MaxPacketsPerVisit <= WindowSize, nameof(MaxPacketsPerVisit), MaxPacketsPerVisit, $"use a value from 1 to WindowSize ({WindowSize})");
        Require(MaxRetransmitRequests is >= 1 and <= 1024, nameof(MaxRetransmitRequests), MaxRetransmitRequests, "use a value from 1 to 1,024");
        Require(
            ReceiveWindow >= 4 * WindowSize && ReceiveWindow <= 1 << 20 && (ReceiveWindow & (ReceiveWindow - 1)) == 0,
            nameof(ReceiveWindow),
            ReceiveWindow,
            $"use a power of two of at least 4 x WindowSize ({4 * WindowSize}) and at most 1,048,576");
        Require(SendQueueCapacity >= 1, nameof(SendQueueCapacity), SendQueueCapacity, "use at least 1 packet");
        Require(SocketBufferSize >= 64 << 10, nameof(SocketBufferSize), SocketBufferSize, "use at least 64 KiB");
        Require(TokenLossTimeout >= TimeSpan.FromMilliseconds(10), nameof(TokenLossTimeout), TokenLossTimeout, "use at least 10 ms");
        Require(TokenRetransmitTimeout >= TimeSpan.FromMilliseconds(1), nameof(TokenRetransmitTimeout), TokenRetransmitTimeout, "use at least 1 ms");
        Require(
            TokenRetransmitTimeout * 2 <= TokenLossTimeout,
            nameof(TokenRetransmitTimeout),
            TokenRetransmitTimeout,
            $"the token must be retransmitted at least twice before it is declared lost: use at most half of TokenLossTimeout ({TokenLossTimeout.TotalMilliseconds} ms)");
        Require(
            TokenHoldTimeout > TimeSpan.Zero && TokenHoldTimeout + TokenRetransmitTimeout < TokenLossTimeout,
            nameof(TokenHoldTimeout),
            TokenHoldTimeout,
            $"a held token must move on before the others declare it lost: use more than 0 and less than TokenLossTimeout - TokenRetransmitTimeout ({(TokenLossTimeout - TokenRetransmitTimeout).TotalMilliseconds} ms)");
    }

    private static void Require(bool condition, string setting, object value, string fix)
    {
        if (!condition)
        {
            throw new RingConfigurationException(setting, $"is {value}", fix);
        }
    }
}
