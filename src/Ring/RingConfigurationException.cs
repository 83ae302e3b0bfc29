namespace SpreadNet.Ring;

/// <summary>A ring setting is wrong; the message names the setting, what is wrong and the fix.</summary>
public sealed class RingConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="setting"/>.</summary>
    public RingConfigurationException(string setting, string problem, string fix)
        : base($"Ring setting {setting} {problem}: {fix}.")
    {
        Setting = setting;
    }

    /// <summary>Creates the exception with a message.</summary>
    public RingConfigurationException()
    {
        Setting = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    public RingConfigurationException(string message)
        : base(message)
    {
        Setting = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public RingConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Setting = string.Empty;
    }

    /// <summary>The setting that is wrong.</summary>
    public string Setting { get; }
}
