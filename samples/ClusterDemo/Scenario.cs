using System.Diagnostics;
using Orleans.Runtime;
using SpreadNet.Samples.ClusterDemo.Members;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>A silo's member as the client reaches it.</summary>
internal sealed record MemberRef(string Silo, SiloAddress Address)
{
    public IChatMemberGrain Grain(IGrainFactory grains) => grains.GetGrain<IChatMemberGrain>(Address.ToParsableString());
}

/// <summary>What the client does: find the silos' members, post rounds of chat lines, read the members' reports.</summary>
internal sealed class Scenario(IClusterClient client, int count)
{
    public const string ClientAuthor = "dave";

    private static readonly string[] Texts =
    [
        "hello, room", "who has the token?", "the ring orders it", "same order for all",
        "a silo may crash", "nothing is lost", "views come in order", "that's virtual synchrony",
    ];

    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);

    private int _posted;

    /// <summary>Lines posted so far.</summary>
    public int Posted => Volatile.Read(ref _posted);

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
    /// One round: each member's author posts <c>count</c> lines from its silo and the client's
    /// author posts as many from the client, all at once; completes when every line was ordered.
    /// </summary>
    public async Task PostRoundAsync(IReadOnlyList<MemberRef> members)
    {
        var authors = members.Select(m => (AuthorOf(m.Silo), (Func<ChatLine, Task>)(line => m.Grain(client).PostAsync(line))))
            .Append((ClientAuthor, line => client.GetStreamProvider(Chat.Provider).GetStream<ChatLine>(Chat.Stream).OnNextAsync(line)));
        var posts = new List<Task>();
        foreach (var (author, post) in authors)
        {
            int first = _numbers.GetValueOrDefault(author) + 1;
            _numbers[author] = first + count - 1;
            posts.Add(PostLinesAsync(author, first, post));
        }

        await Task.WhenAll(posts);
    }

    /// <summary>Reports of <paramref name="members"/>, in their order.</summary>
    public async Task<IReadOnlyList<MemberReport>> ReportsAsync(IReadOnlyList<MemberRef> members) =>
        await Task.WhenAll(members.Select(m => m.Grain(client).GetReportAsync()));

    private async Task PostLinesAsync(string author, int first, Func<ChatLine, Task> post)
    {
        for (int number = first; number < first + count; number++)
        {
            var line = new ChatLine(author, number, Texts[(number - 1 + author.Length) % Texts.Length]);
            await RetryAsync(() => post(line));
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
}
