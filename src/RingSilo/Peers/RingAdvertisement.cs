using System.Diagnostics.CodeAnalysis;
using System.Net;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.RingSilo.Peers;

/// <summary>
/// What a silo publishes about one of its rings in its Orleans silo metadata: the endpoint the ring
/// listens on and the settings every member must share (the <see cref="SettingsBlock"/> the ring
/// compares in its joins), so that other silos find the ring without a server list and a silo
/// whose settings differ is refused before its ring sends a datagram.
/// </summary>
/// <remarks>
/// Layout of a value: <c>1;address:port;base64(SettingsBlock)</c>, about 110 characters: the leading
/// format version lets a later layout be told apart; the settings travel in the ring's own binary
/// layout so that the comparison is exactly the one the ring makes on the wire.
/// </remarks>
internal sealed record RingAdvertisement(IPEndPoint EndPoint, SettingsBlock Settings)
{
    /// <summary>Metadata key listing the silo's rings (comma-separated names); its presence marks a silo that hosts rings.</summary>
    public const string RingsKey = "spreadnet.rings";

    /// <summary>Metadata key prefix of one ring's advertisement; the ring's name follows.</summary>
    public const string RingKeyPrefix = "spreadnet.ring.";

    private const string FormatVersion = "1";

    /// <summary>The metadata key of ring <paramref name="ring"/>.</summary>
    public static string KeyOf(string ring) => RingKeyPrefix + ring;

    /// <summary>
    /// The settings compared between members, taken from validated ring options. The message size is
    /// the application's (the ring itself compares it with its group-header allowance added, which
    /// is the same on every node), so mismatch messages show the value the operator configured.
    /// </summary>
    public static SettingsBlock SettingsOf(RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TotemSettings.FromOptions(options).ToBlock() with { MaxMessageSize = options.MaxMessageSize };
    }

    /// <summary>The metadata value.</summary>
    public string Format()
    {
        Span<byte> block = stackalloc byte[SettingsBlock.Size];
        Settings.Write(block);
        return string.Join(';', FormatVersion, EndPoint.ToString(), Convert.ToBase64String(block));
    }

    /// <summary>Reads a metadata value; false if it is not one this version understands.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out RingAdvertisement? advertisement)
    {
        advertisement = null;
        var parts = value?.Split(';');
        if (parts is not [FormatVersion, var endPointText, var settingsText]
            || !IPEndPoint.TryParse(endPointText, out var endPoint)
            || endPoint.Port == 0)
        {
            return false;
        }

        Span<byte> block = stackalloc byte[SettingsBlock.Size];
        if (!Convert.TryFromBase64String(settingsText, block, out int written)
            || written != SettingsBlock.Size
            || !SettingsBlock.TryRead(block, out var settings))
        {
            return false;
        }

        advertisement = new RingAdvertisement(endPoint, settings);
        return true;
    }

    /// <summary>
    /// The rings a silo advertises, by name; false when its metadata has no ring list (not fetched
    /// yet, or a silo without rings). Unreadable entries are left out.
    /// </summary>
    public static bool TryReadSilo(SiloMetadata metadata, [NotNullWhen(true)] out IReadOnlyDictionary<string, RingAdvertisement>? rings)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        rings = null;
        if (!metadata.Metadata.TryGetValue(RingsKey, out var names))
        {
            return false;
        }

        var found = new Dictionary<string, RingAdvertisement>(StringComparer.Ordinal);
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (metadata.Metadata.TryGetValue(KeyOf(name), out var value) && TryParse(value, out var advertisement))
            {
                found[name] = advertisement;
            }
        }

        rings = found;
        return true;
    }
}
