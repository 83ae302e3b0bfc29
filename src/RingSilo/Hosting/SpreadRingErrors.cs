using Orleans.Runtime;

namespace SpreadNet.RingSilo.Hosting;

/// <summary>Configuration errors of hosted rings, in one wording: the ring, the setting, what is wrong, the fix.</summary>
internal static class SpreadRingErrors
{
    public static OrleansConfigurationException Setting(string ring, string setting, string problem, string fix) =>
        new($"Spread ring '{ring}': setting {setting} {problem}: {fix}. Ring settings are set with siloBuilder.AddSpreadRing(\"{ring}\", options => ...).");
}
