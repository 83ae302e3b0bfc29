using System.Diagnostics;
using Orleans.Runtime;
using SpreadNet.Samples.ClusterDemo.Members;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>A silo's member as the client reaches it.</summary>
internal sealed record MemberRef(string Silo, SiloAddress Address)
{
    public IChatMemberGrain Grain(IGrainFactory grains) => grains.GetGrain<IChatMemberGrain>(Address.ToParsableString());
}

/// <summary>
/// What the client does: find the silos' members, post rounds (a notice to the group, then chat
/// lines to the stream, from each author), read the members' reports.
/// </summary>
internal sealed class Scenario(IClusterClient client, ClientMember clientMember, int count)
{
    public const string ClientAuthor = "dave";

    private static readonly string[] Texts =
    [
        "hello, room", "who has the token?", "the ring orders it", "same order for all",
        "a silo may crash", "nothing is lost", "views come in order", "that's virtual synchrony",
    ];

    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);

    private int _posted;
    private int _noticed;

    /// <summary>Lines posted so far.</summary>
    public int Posted => Volatile.Read(ref _posted);

    /// <summary>Notices multicast so far.</summary>
    public int Noticed => Volatile.Read(ref _noticed);

    /// <summary>The author posting from silo <paramref name="silo"/> (silo1: alice, silo2: bob, silo3: carol).</summary>
    public static string AuthorOf(string silo) => silo switch
    {
        "silo1" => "alice",
        "silo2" => "bob",
        "silo3" => "carol",
        _ => silo,
    };

    /// <summary>The active silos' members, once <paramref name="silos"/> silos are active.</summary>
    public async Task<IReadOnlyList<MemberRef>> FindMembersAsync(int silos, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var management = client.GetGrain<IManagementGrain>(0);
        while (true)
        {
            try
            {
                var hosts = await management.GetDetailedHosts(onlyActive: true);
                if (hosts.Length >= silos)
                {
                    return [.. hosts.OrderBy(h => h.SiloName, StringComparer.Ordinal).Select(h => new MemberRef(h.SiloName, h.SiloAddress))];
                }
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException && clock.Elapsed < timeout)
            {
                // A gateway that went away; the client reconnects to another.
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Fewer than {silos} active silos after {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>
    /// One round: each member's author multicasts "is typing" to the group as its member, then posts
    /// <c>count</c> lines from its silo; the client's author does the same from the client; all at
    /// once. Completes when every notice and line was ordered.
    /// </summary>
    public async Task PostRoundAsync(IReadOnlyList<MemberRef> members)
    {
        var authors = members
            .Select(m => new Author(AuthorOf(m.Silo), m.Grain(client).NoticeAsync, m.Grain(client).PostAsync))
            .Append(new Author(ClientAuthor, clientMember.NoticeAsync, line => client.GetStreamProvider(Chat.Provider).GetStream<ChatLine>(Chat.Stream).OnNextAsync(line)));
        var posts = new List<Task>();
        foreach (var author in authors)
        {
            int first = _numbers.GetValueOrDefault(author.Name) + 1;
            _numbers[author.Name] = first + count - 1;
            posts.Add(PostAsync(author, first));
        }

        await Task.WhenAll(posts);
    }

    /// <summary>Reports of <paramref name="members"/>, in their order.</summary>
    public async Task<IReadOnlyList<MemberReport>> ReportsAsync(IReadOnlyList<MemberRef> members) =>
        await Task.WhenAll(members.Select(m => m.Grain(client).GetReportAsync()));

    private async Task PostAsync(Author author, int first)
    {
        await RetryAsync(() => author.Notice(new ChatNotice(author.Name, "is typing")));
        Interlocked.Increment(ref _noticed);
        for (int number = first; number < first + count; number++)
        {
            var line = new ChatLine(author.Name, number, Texts[(number - 1 + author.Name.Length) % Texts.Length]);
            await RetryAsync(() => author.Post(line));
            Interlocked.Increment(ref _posted);
            await Task.Delay(30);
        }
    }

    /// <summary>A call through a gateway that just died fails; the client moves to another gateway.</summary>
    private static async Task RetryAsync(Func<Task> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception ex) when (attempt < 20 && ex is OrleansException or TimeoutException or SiloUnavailableException)
            {
                await Task.Delay(500);
            }
        }
    }

    private sealed record Author(string Name, Func<ChatNotice, Task> Notice, Func<ChatLine, Task> Post);
}
