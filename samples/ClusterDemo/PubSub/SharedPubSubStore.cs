using Orleans.Runtime;
using Orleans.Storage;

namespace SpreadNet.Samples.ClusterDemo.PubSub;

/// <summary>
/// The in-process demo's stand-in for the durable storage real silos share: one store of grain
/// states for all the silos in this process, so the pub-sub state ("PubSubStore": which pulling
/// agents produce a stream, which subscriptions consume it) outlives the silo the demo kills.
/// Orleans' memory grain storage keeps each state in a grain on one of the silos, and a state kept
/// on the killed silo is simply gone: a pulling agent that already knew the stream is then no
/// longer a producer of record, so subscriptions made or renewed afterwards never reach it and the
/// stream stalls. States are kept serialized, each silo reading and writing through its own
/// <see cref="SharedGrainStorage"/>, with ETags checked as a real store checks them.
/// </summary>
internal sealed class SharedPubSubStore
{
    private readonly Dictionary<(string StateName, GrainId GrainId), Record> _records = [];
    private readonly Lock _lock = new();
    private long _nextETag;

    /// <summary>The stored state and its ETag, or null when there is none.</summary>
    public Record? Read(string stateName, GrainId grainId)
    {
        lock (_lock)
        {
            return _records.GetValueOrDefault((stateName, grainId));
        }
    }

    /// <summary>Stores <paramref name="payload"/> if <paramref name="eTag"/> is the stored ETag (null: no record yet); returns the new ETag.</summary>
    /// <exception cref="InconsistentStateException">Another writer changed the state since <paramref name="eTag"/> was read.</exception>
    public string Write(string stateName, GrainId grainId, string? eTag, byte[] payload)
    {
        lock (_lock)
        {
            var key = (stateName, grainId);
            Check(key, eTag);
            string next = (++_nextETag).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _records[key] = new Record(payload, next);
            return next;
        }
    }

    /// <summary>Removes the state if <paramref name="eTag"/> is the stored ETag.</summary>
    /// <exception cref="InconsistentStateException">Another writer changed the state since <paramref name="eTag"/> was read.</exception>
    public void Clear(string stateName, GrainId grainId, string? eTag)
    {
        lock (_lock)
        {
            var key = (stateName, grainId);
            Check(key, eTag);
            _records.Remove(key);
        }
    }

    private void Check((string StateName, GrainId GrainId) key, string? eTag)
    {
        string? stored = _records.TryGetValue(key, out var record) ? record.ETag : null;
        if (!string.Equals(stored, eTag, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"State {key.StateName} of {key.GrainId}: ETag {eTag ?? "(none)"} does not match the stored {stored ?? "(none)"}.",
                stored ?? string.Empty,
                eTag ?? string.Empty);
        }
    }

    /// <summary>One stored state: the serialized value and its ETag.</summary>
    public sealed record Record(byte[] Payload, string ETag);
}
