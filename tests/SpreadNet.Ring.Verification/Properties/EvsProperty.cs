namespace SpreadNet.Ring.Verification;

/// <summary>Names of the properties the verifier checks, as they appear in violations.</summary>
public static class EvsProperty
{
    /// <summary>Entries after a crash or a leave.</summary>
    public const string Log = "Log";

    /// <summary>Nodes that install the same configuration agree on its members; members include the installer and the representative.</summary>
    public const string MembershipAgreement = "MembershipAgreement";

    /// <summary>Ring ids never repeat: sequences grow within an incarnation, and no restart brings back a ring id the node installed before.</summary>
    public const string RingIdUniqueness = "RingIdUniqueness";

    /// <summary>Each incarnation's configurations follow Regular, (Transitional, Regular)*, linked by their previous ring.</summary>
    public const string ConfigurationSequence = "ConfigurationSequence";

    /// <summary>Each incarnation delivers in growing positions; one position is one message and one message one position everywhere.</summary>
    public const string TotalOrder = "TotalOrder";

    /// <summary>A message is delivered in the configuration that ordered it (its regular part or the transitional part after it).</summary>
    public const string DeliveryConfiguration = "DeliveryConfiguration";

    /// <summary>No incarnation delivers a message twice.</summary>
    public const string NoDuplicates = "NoDuplicates";

    /// <summary>Per sender, messages are delivered in submission order, and in each ring as a gap-free prefix of what anyone delivered of that sender there.</summary>
    public const string SenderFifo = "SenderFifo";

    /// <summary>Nodes that move together from C to C' delivered the same messages of C, split the same way around the transitional configuration.</summary>
    public const string VirtualSynchrony = "VirtualSynchrony";

    /// <summary>What a node delivers in a regular configuration is a prefix of that configuration's order: no message is skipped.</summary>
    public const string RegularPrefix = "RegularPrefix";

    /// <summary>A Safe message delivered in a regular configuration is delivered by every member of it that does not crash or leave while in it.</summary>
    public const string SafeDelivery = "SafeDelivery";

    /// <summary>A node that neither crashes nor leaves delivers every message it submitted.</summary>
    public const string SelfDelivery = "SelfDelivery";
}
