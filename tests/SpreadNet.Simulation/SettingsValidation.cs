using System.Net;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Simulation;

/// <summary>
/// Holds drawn engine settings to the rules a real node's <see cref="RingOptions"/> enforce, so the
/// simulator never tests a configuration no deployment could run.
/// </summary>
public static class SettingsValidation
{
    /// <summary>Throws <see cref="RingConfigurationException"/> when a real node would refuse <paramref name="settings"/>.</summary>
    public static void Check(TotemSettings settings, int sendQueueCapacity)
    {
        ArgumentNullException.ThrowIfNull(settings);
        new RingOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 4803),
            MaxDatagramSize = settings.MaxDatagramSize,
            // The engine's limit is the wire size: the application's limit plus the group header.
            MaxMessageSize = Math.Max(1, settings.MaxMessageSize - RingOptions.GroupHeaderAllowance),
            WindowSize = settings.WindowSize,
            MaxPacketsPerVisit = settings.MaxPacketsPerVisit,
            MaxRetransmitRequests = settings.MaxRetransmitRequests,
            ReceiveWindow = settings.ReceiveWindow,
            SendQueueCapacity = sendQueueCapacity,
            TokenLossTimeout = TimeSpan.FromMicroseconds(settings.TokenLossMicros),
            TokenRetransmitTimeout = TimeSpan.FromMicroseconds(settings.TokenRetransmitMicros),
            TokenHoldTimeout = TimeSpan.FromMicroseconds(settings.TokenHoldMicros),
            JoinTimeout = TimeSpan.FromMicroseconds(settings.JoinMicros),
            ConsensusTimeout = TimeSpan.FromMicroseconds(settings.ConsensusMicros),
            MergeDetectInterval = TimeSpan.FromMicroseconds(settings.MergeDetectMicros),
            FailToReceiveRotations = settings.FailToReceiveRotations,
        }.Validate();
    }
}
