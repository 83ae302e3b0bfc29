using System.Net;

namespace SpreadNet.Ring.Tests;

public class NodeIdTests
{
    private static readonly string[] Addresses = ["127.0.0.1", "127.0.0.2", "10.0.0.1", "192.168.255.255", "255.255.255.255", "1.0.0.0"];
    private static readonly int[] Ports = [1, 4803, 4804, 65535];

    [Fact]
    public void FromEndPoint_Ipv4_AddressAboveThePort()
    {
        var id = NodeId.FromEndPoint(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 4803));

        Assert.Equal((0x0A01_0203UL << 16) | 4803, id.Value);
        Assert.False(id.IsNone);
    }

    [Fact]
    public void FromEndPoint_DistinctEndPoints_DistinctIds()
    {
        var endPoints =
            from address in Addresses
            from port in Ports
            select new IPEndPoint(IPAddress.Parse(address), port);
        var list = endPoints.ToList();

        var ids = list.Select(NodeId.FromEndPoint).ToList();

        Assert.Equal(list.Count, ids.Distinct().Count());
    }

    [Fact]
    public void FromEndPoint_EqualEndPoints_EqualIds()
    {
        Assert.Equal(
            NodeId.FromEndPoint(new IPEndPoint(IPAddress.Loopback, 4803)),
            NodeId.FromEndPoint(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 4803)));
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void FromEndPoint_Ipv6_ThrowsArgumentException(string address)
    {
        var exception = Assert.Throws<ArgumentException>(() => NodeId.FromEndPoint(new IPEndPoint(IPAddress.Parse(address), 4803)));

        Assert.Equal("endPoint", exception.ParamName);
        Assert.Contains("IPv4", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEndPoint_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => NodeId.FromEndPoint(null!));
    }

    [Fact]
    public void CompareTo_Ids_OrderedByValue()
    {
        var low = new NodeId(1);
        var high = new NodeId(2);
        var lowAgain = new NodeId(1);

        Assert.True(low < high);
        Assert.True(high > low);
        Assert.True(low <= lowAgain);
        Assert.True(high >= low);
        Assert.True(low.CompareTo(high) < 0);
        Assert.True(NodeId.None.IsNone);
        Assert.Equal("ff", new NodeId(255).ToString());
    }
}
