using System.Security.Cryptography;
using System.Text;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Samples.RingDemo;

/// <summary>What one node delivered, in order; filled on the node's thread, read by the console.</summary>
internal sealed class DeliveryLog : IDeliveryHandler
{
    private readonly List<string> _messages = [];
    private readonly Lock _lock = new();

    public event Action<int, string>? Delivered;

    public event Action<ConfigurationChange>? ConfigurationChanged;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _messages.Count;
            }
        }
    }

    public void OnDelivery(in Delivery delivery)
    {
        string text = Encoding.UTF8.GetString(delivery.Payload);
        int position;
        lock (_lock)
        {
            _messages.Add(text);
            position = _messages.Count;
        }

        Delivered?.Invoke(position, text);
    }

    public void OnConfiguration(ConfigurationChange change) => ConfigurationChanged?.Invoke(change);

    /// <summary>A configuration in words: its kind, ring id and members by address.</summary>
    public static string Describe(ConfigurationChange change) =>
        $"{change.Kind.ToString().ToLowerInvariant()} configuration of ring {change.Ring}: {string.Join(", ", change.Members.Select(m => m.ToEndPoint()))}";

    public string? At(int position)
    {
        lock (_lock)
        {
            return position <= _messages.Count ? _messages[position - 1] : null;
        }
    }

    /// <summary>A short fingerprint of the whole delivered order: equal digests mean equal orders.</summary>
    public string Digest()
    {
        lock (_lock)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', _messages)));
            return Convert.ToHexString(hash, 0, 6);
        }
    }
}
