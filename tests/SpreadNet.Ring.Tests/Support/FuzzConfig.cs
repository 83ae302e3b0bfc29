using System.Globalization;

namespace SpreadNet.Ring.Tests.Support;

/// <summary>
/// Size and seed of the fuzz runs, from the environment: <c>SPREADNET_FUZZ_COUNT</c> datagrams
/// (default 200,000, the CI budget) and <c>SPREADNET_FUZZ_SEED</c> (a number to replay a run,
/// <c>random</c> for a fresh one; default a fixed seed so that CI is reproducible).
/// </summary>
internal static class FuzzConfig
{
    public const int DefaultCount = 200_000;
    public const ulong DefaultSeed = 0x5350_5245_4144_4E45;

    public static int Count =>
        int.TryParse(Environment.GetEnvironmentVariable("SPREADNET_FUZZ_COUNT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int count) && count > 0
            ? count
            : DefaultCount;

    public static ulong Seed
    {
        get
        {
            string? value = Environment.GetEnvironmentVariable("SPREADNET_FUZZ_SEED");
            if (string.Equals(value, "random", StringComparison.OrdinalIgnoreCase))
            {
                return (ulong)Random.Shared.NextInt64();
            }

            return ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong seed) ? seed : DefaultSeed;
        }
    }

    /// <summary>The start of a datagram in hex, for failure messages.</summary>
    public static string Describe(ReadOnlySpan<byte> datagram) =>
        $"{datagram.Length} bytes: {Convert.ToHexString(datagram[..Math.Min(datagram.Length, 256)])}{(datagram.Length > 256 ? "..." : string.Empty)}";
}
