using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace SpreadNet.Samples.ClusterDemo.PubSub;

/// <summary>
/// One silo's view of the <see cref="SharedPubSubStore"/>, registered as its grain storage
/// "PubSubStore": states are serialized with the silo's own serializer, so no silo ever holds an
/// object another silo changes.
/// </summary>
internal sealed class SharedGrainStorage(SharedPubSubStore store, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.Read(stateName, grainId) is { } record)
        {
            grainState.State = serializer.Deserialize<T>(record.Payload);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        grainState.ETag = store.Write(stateName, grainId, grainState.ETag, serializer.SerializeToArray(grainState.State));
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.Clear(stateName, grainId, grainState.ETag);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
