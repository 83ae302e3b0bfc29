using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SpreadNet.Cluster.ProcessTests;

/// <summary>
/// The cluster demo with Orleans' Redis clustering, as on several machines: a real redis-server
/// (started here, on a free 127.0.0.1 port, without persistence), three silo processes and a client.
/// </summary>
public sealed class RedisClusteringTests
{
    [SkippableFact]
    public async Task ThreeSiloProcesses_RedisClustering_FormOneRingAndDeliverOneOrder()
    {
        string? redisServer = FindOnPath("redis-server");
        Skip.If(redisServer is null, "redis-server is not on PATH: install it (Debian/Ubuntu: apt-get install redis-server; .ci/run does) to run the Redis clustering test.");

        string directory = Directory.CreateTempSubdirectory("spreadnet-redis-").FullName;
        int port = PortBlocks.Free(1, new HashSet<int>());
        using var redis = ChildProcess.Start("redis-server", redisServer!, ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", directory]);
        try
        {
            await WaitForTcpAsync(port, redis);
            await using var cluster = new DemoCluster(3, "--clustering", "redis", "--redis", $"127.0.0.1:{port}");
            await Task.WhenAll(cluster.StartSiloAsync(1), cluster.StartSiloAsync(2), cluster.StartSiloAsync(3));
            await cluster.Silo(1).WaitForOutputAsync("ring  3 member(s)", DemoCluster.Timeout);

            var client = await cluster.RunClientAsync();
            Assert.True(client.ExitCode == 0, $"client exit code {client.ExitCode}:\n{client.Output}\n{cluster.Outputs()}");
            Assert.Contains(DemoCluster.PassLine, client.Output, StringComparison.Ordinal);
            Assert.Contains("Redis clustering", client.Output, StringComparison.Ordinal);
            Assert.Equal(3, CountOccurrences(client.Output, "members 3 ["));
            for (int silo = 1; silo <= 3; silo++)
            {
                Assert.Contains("dave #3", cluster.Silo(silo).Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            redis.Kill();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitForTcpAsync(int port, ChildProcess redis)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20) && !redis.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                Assert.Fail($"redis-server did not accept connections on 127.0.0.1:{port}:\n{redis.Output}");
            }
        }
    }

    private static int CountOccurrences(string text, string value) =>
        (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
