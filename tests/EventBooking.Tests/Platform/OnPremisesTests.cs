using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EventBooking.Tests.Platform;

/// <summary>What an operator running the stack on their own machine relies on: backups by themselves, and no open door.</summary>
[Collection(GraphCollection.Name)]
public sealed class OnPremisesTests(GraphFixture graph)
{
    [Fact]
    public async Task Scheduled_backups_appear_within_their_interval_each_verified_and_only_the_newest_ones_are_kept()
    {
        var backups = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(graph.ApiDatabasePath))!, "backups");
        var seen = new HashSet<string>();

        // Interval 3 s, Keep 2: within 15 s at least three sets were taken, yet never more than two are there.
        await Eventually.HoldsAsync(() =>
        {
            var sets = Directory.Exists(backups) ? Directory.GetDirectories(backups).Where(d => !d.EndsWith(".partial", StringComparison.Ordinal)).ToArray() : [];
            Assert.InRange(sets.Length, 0, 2);
            seen.UnionWith(sets);
            return seen.Count >= 3;
        }, TimeSpan.FromSeconds(15), "three scheduled backups, the oldest pruned");

        var newest = Directory.GetDirectories(backups).Where(d => !d.EndsWith(".partial", StringComparison.Ordinal)).Max(StringComparer.Ordinal)!;
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(newest, "manifest.json")));
        var databases = manifest.RootElement.GetProperty("databases").EnumerateArray().ToList();
        Assert.Equal(["notifier", "eventbooking"], databases.Select(d => d.GetProperty("name").GetString()));
        var api = databases[1];
        Assert.True(File.Exists(Path.Combine(newest, api.GetProperty("file").GetString()!)));
        Assert.Equal(1, api.GetProperty("rows").GetProperty("DataProtectionKeys").GetInt64()); // the back office's cookie keys are in it
        Assert.True(api.GetProperty("rows").GetProperty("AspNetUsers").GetInt64() >= 1);
    }

    [Fact]
    public async Task The_local_broker_refuses_guest_guest_and_admits_only_the_generated_account()
    {
        var services = new Uri((await graph.App.GetConnectionStringAsync("messaging"))!);
        Assert.Equal("eventbooking", services.UserInfo.Split(':')[0]);
        await using (var connection = await new ConnectionFactory { Uri = services }.CreateConnectionAsync())
        {
            Assert.True(connection.IsOpen);
        }

        var guest = new ConnectionFactory { Uri = new UriBuilder(services) { UserName = "guest", Password = "guest" }.Uri };
        var refused = await Assert.ThrowsAsync<BrokerUnreachableException>(() => guest.CreateConnectionAsync());
        Assert.IsType<AuthenticationFailureException>(refused.InnerException);
    }
}
