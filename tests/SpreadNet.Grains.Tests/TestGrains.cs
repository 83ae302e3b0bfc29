using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;
using SpreadNet.Grains;
using SpreadNet.Interfaces;

namespace SpreadNet.Grains.Tests;

/// <summary>A test payload: who sent it and its number in that sender's run.</summary>
[GenerateSerializer, Immutable]
public sealed record Note([property: Id(0)] string From, [property: Id(1)] int Value)
{
    public override string ToString() => $"{From}:{Value}";
}

/// <summary>
/// What every member received, by member name, in the order received, kept in the test process
/// (the silos run in it) so that it outlives activations.
/// </summary>
public static class Journal
{
    private static readonly ConcurrentDictionary<string, List<object>> Entries = new();

    public static void Add(string member, object entry)
    {
        var list = Entries.GetOrAdd(member, _ => []);
        lock (list)
        {
            list.Add(entry);
        }
    }

    public static List<object> Get(string member)
    {
        var list = Entries.GetOrAdd(member, _ => []);
        lock (list)
        {
            return [.. list];
        }
    }

    public static List<GroupViewInfo> Views(string member, string group) => [.. Get(member).OfType<GroupViewInfo>().Where(v => v.Group == group)];

    /// <summary>The <see cref="RequestContext"/> value of <see cref="ContextKey"/> a member saw at its deliveries, when set.</summary>
    public const string ContextKey = "spreadnet.test.context";

    public static List<string> ContextsSeen(string member) => [.. Get(member + "/context").OfType<string>()];

    public static List<GroupMessageInfo> Messages(string member, string group) => [.. Get(member).OfType<GroupMessageInfo>().Where(m => m.Group == group)];

    /// <summary>One line for an event of <paramref name="group"/> (everything every member must agree on); null for other entries.</summary>
    public static string? Describe(object entry, string group) => entry switch
    {
        GroupViewInfo v when v.Group == group => $"view {v.Id} {v.Kind} {v.Reason} [{string.Join(", ", v.Members)}] +[{string.Join(", ", v.Joined)}] -[{string.Join(", ", v.Left)}]",
        GroupMessageInfo m when m.Group == group => $"message {m.Position} {m.Service} from {m.Sender} {m.Payload}",
        _ => null,
    };
}

public interface IMemberGrain : IGroupMember, IGrainWithStringKey
{
    Task<string> JoinAsync(string group);

    Task LeaveAsync(string group);

    Task SendAsync(string group, int first, int count, GroupServiceType service);

    Task DeactivateAsync();
}

/// <summary>A member grain recording into <see cref="Journal"/> under its key; returns its silo's name on join.</summary>
public sealed class MemberGrain(ILocalSiloDetails silo) : GroupMemberGrain, IMemberGrain
{
    public override Task OnGroupViewAsync(GroupViewInfo view)
    {
        Journal.Add(this.GetPrimaryKeyString(), view);
        return Task.CompletedTask;
    }

    public override Task OnGroupMessageAsync(GroupMessageInfo message)
    {
        Journal.Add(this.GetPrimaryKeyString(), message);
        if (RequestContext.Get(Journal.ContextKey) is string context)
        {
            Journal.Add(this.GetPrimaryKeyString() + "/context", context);
        }

        return Task.CompletedTask;
    }

    public async Task<string> JoinAsync(string group)
    {
        await JoinGroupAsync(group);
        return silo.Name;
    }

    public Task LeaveAsync(string group) => LeaveGroupAsync(group);

    public async Task SendAsync(string group, int first, int count, GroupServiceType service)
    {
        for (int i = first; i < first + count; i++)
        {
            await MulticastAsync(group, new Note(this.GetPrimaryKeyString(), i), service);
        }
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface ISenderGrain : IGrainWithStringKey
{
    Task SendAsync(string group, int first, int count, GroupServiceType service);
}

/// <summary>A grain that multicasts to a group without being a member.</summary>
public sealed class SenderGrain : Grain, ISenderGrain
{
    public async Task SendAsync(string group, int first, int count, GroupServiceType service)
    {
        for (int i = first; i < first + count; i++)
        {
            await GrainFactory.GetGroup(group).MulticastAsync(new Note(this.GetPrimaryKeyString(), i), service);
        }
    }
}

/// <summary>A client's member object, recording into <see cref="Journal"/>.</summary>
public sealed class ClientMember(string name) : IGroupMember
{
    public string Name { get; } = name;

    public Task OnGroupViewAsync(GroupViewInfo view)
    {
        Journal.Add(Name, view);
        return Task.CompletedTask;
    }

    public Task OnGroupMessageAsync(GroupMessageInfo message)
    {
        Journal.Add(Name, message);
        return Task.CompletedTask;
    }
}
