namespace SpreadNet.Ring;

/// <summary>Timeout presets for <see cref="RingOptions.ApplyPreset"/>.</summary>
public enum RingPreset
{
    /// <summary>The defaults: token loss 1 s, consensus 1.2 s. Robust on a busy LAN.</summary>
    Lan,

    /// <summary>Aggressive: token loss 100 ms, consensus 120 ms; a crash reforms the ring in about 200 ms.</summary>
    Vital,
}
