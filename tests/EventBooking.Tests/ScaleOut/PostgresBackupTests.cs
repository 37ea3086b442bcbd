using System.Text.Json;
using EventBooking.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.ScaleOut;

/// <summary>The scale-out shape's backup: each database's own dump, whose rows were counted in the snapshot it was taken from.</summary>
[Collection(GraphCollection.Name)]
[Trait("Shapes", "scale-out")]
public sealed class PostgresBackupTests(GraphFixture graph)
{
    [Fact]
    public async Task The_dashboards_backup_dumps_both_databases_with_the_rows_they_held()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using (var order = await graph.Frontend.PostAsync(OrderRequests.Valid($"backup-{Guid.NewGuid():N}@example.com"), Guid.NewGuid().ToString()))
        {
            Assert.Equal(HttpStatusCode.Created, order.StatusCode);
        }

        long orders;
        using (var db = graph.OpenApiDatabase())
        {
            orders = db.Count("""SELECT COUNT(*) FROM "Orders" """);
        }

        var backup = await graph.App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(graph.Instances["api"][0], "backup", cancel.Token);

        Assert.True(backup.Success, backup.Message);
        var message = backup.Message!;
        var set = message[(message.IndexOf(" in ", StringComparison.Ordinal) + 4)..];
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(set, "manifest.json"), cancel.Token));
        Assert.Equal("postgres", manifest.RootElement.GetProperty("database").GetString());
        var databases = manifest.RootElement.GetProperty("databases").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        Assert.Equal(["eventbooking", "notifier"], databases.Keys.Order());
        Assert.All(databases.Values, d => Assert.True(new FileInfo(Path.Combine(set, d.GetProperty("file").GetString()!)).Length > 0));
        Assert.InRange(databases["eventbooking"].GetProperty("rows").GetProperty("Orders").GetInt64(), orders, long.MaxValue);
        Assert.InRange(databases["eventbooking"].GetProperty("rows").GetProperty("DataProtectionKeys").GetInt64(), 1, 4); // the back office's cookie keys (each replica may add one at its first start)
    }
}
