using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace SpreadNet.Ring.ProcessTests;

/// <summary>
/// Test hosts in Linux network namespaces: one namespace per node, each joined by a veth link to a
/// bridge in a "switch" namespace, addresses in 10.231.0.0/24 that exist only inside them. Cutting
/// a node's link partitions it off; disposing deletes every namespace made here.
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    private readonly string _prefix = "spn" + (Environment.ProcessId % 100_000).ToString(CultureInfo.InvariantCulture);
    private readonly List<string> _namespaces = [];

    public NetworkNamespaces(int nodes)
    {
        try
        {
            Add(Switch);
            Run("ip", "netns", "exec", Switch, "ip", "link", "add", "br0", "type", "bridge");
            Run("ip", "netns", "exec", Switch, "ip", "link", "set", "br0", "up");
            for (int k = 0; k < nodes; k++)
            {
                string ns = NodeNamespace(k);
                Add(ns);
                Run("ip", "link", "add", NodeLink(k), "type", "veth", "peer", "name", SwitchLink(k));
                Run("ip", "link", "set", NodeLink(k), "netns", ns);
                Run("ip", "link", "set", SwitchLink(k), "netns", Switch);
                Run("ip", "netns", "exec", Switch, "ip", "link", "set", SwitchLink(k), "master", "br0");
                Run("ip", "netns", "exec", Switch, "ip", "link", "set", SwitchLink(k), "up");
                Run("ip", "netns", "exec", ns, "ip", "addr", "add", $"{AddressOf(k)}/24", "dev", NodeLink(k));
                Run("ip", "netns", "exec", ns, "ip", "link", "set", NodeLink(k), "up");
                Run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private string Switch => _prefix + "-sw";

    /// <summary>Why these tests cannot run here, or null when they can (root and iproute2).</summary>
    public static string? UnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
        {
            return "creating network namespaces needs root; run the tests as root to include the partition test";
        }

        return File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip") || File.Exists("/usr/bin/ip")
            ? null
            : "the 'ip' command (iproute2) is not installed";
    }

    public static IPAddress AddressOf(int node) => IPAddress.Parse($"10.231.0.{node + 1}");

    public string NodeNamespace(int node) => $"{_prefix}-n{node}";

    /// <summary>The command prefix that runs a program inside node <paramref name="node"/>'s namespace.</summary>
    public string[] Wrapper(int node) => ["ip", "netns", "exec", NodeNamespace(node)];

    /// <summary>Cuts (or restores) node <paramref name="node"/>'s only link: a clean partition.</summary>
    public void SetLink(int node, bool up) =>
        Run("ip", "netns", "exec", Switch, "ip", "link", "set", SwitchLink(node), up ? "up" : "down");

    public void Dispose()
    {
        foreach (string ns in Enumerable.Reverse(_namespaces))
        {
            TryRun("ip", "netns", "delete", ns);
        }

        _namespaces.Clear();
    }

    private string NodeLink(int node) => $"{_prefix}n{node}";

    private string SwitchLink(int node) => $"{_prefix}s{node}";

    private void Add(string ns)
    {
        Run("ip", "netns", "add", ns);
        _namespaces.Add(ns);
    }

    private static void Run(params string[] command)
    {
        if (!TryRun(command))
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' failed.");
        }
    }

    private static bool TryRun(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
