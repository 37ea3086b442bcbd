using System.Data.Common;
using System.Text.Json;
using EventBooking.Data;
using EventBooking.FastTests.Infrastructure;
using EventBooking.FastTests.Mail;
using EventBooking.Tests.Orders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventBooking.FastTests.Hardening;

/// <summary>An API whose SQLite file can be made full: every connection it opens gets SQLite's page limit.</summary>
public sealed class FillableDiskApi : ApiFactory
{
    /// <summary>SQLite's own ceiling: as good as no limit.</summary>
    public const long NoLimit = 1_073_741_823;

    private readonly PageLimit _limit = new();

    /// <summary>From now on the file cannot grow beyond its current size (plus <paramref name="spare"/> pages).</summary>
    public void Fill(int spare = 0)
    {
        using var db = OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "PRAGMA page_count";
        _limit.MaxPages = (long)count.ExecuteScalar()! + spare;
    }

    public void FreeSpace() => _limit.MaxPages = NoLimit;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(_limit));
    }

    private sealed class PageLimit : DbConnectionInterceptor
    {
        public long MaxPages { get; set; } = NoLimit;

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA max_page_count = {MaxPages}";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>A full disk is said plainly: 503, Retry-After, nothing half-written, /health says so, and it heals.</summary>
public sealed class FullDiskTests(FillableDiskApi api) : IClassFixture<FillableDiskApi>
{
    [Fact]
    public async Task Orders_on_a_full_disk_answer_503_with_retry_after_store_nothing_and_succeed_again_once_space_is_freed()
    {
        using var client = api.ClientAt("192.0.2.150");
        using (var first = await client.PostAsync(OrderRequests.Valid()))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var storage = api.Services.GetRequiredService<StorageHealth>();
        api.Fill();
        var refused = new List<(HttpResponseMessage Response, string Email)>();
        try
        {
            // Each order with long notes needs new pages soon: the first that does is refused.
            for (var i = 0; i < 40 && refused.Count == 0; i++)
            {
                var order = OrderRequests.Valid();
                order["notes"] = new string('x', 1_900);
                var response = await client.PostAsync(order);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    refused.Add((response, order["email"]!.GetValue<string>()));
                }
            }

            var (answer, email) = Assert.Single(refused);
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.Equal("60", answer.Headers.GetValues("Retry-After").Single());
            Assert.Equal("We could not save your request just now; nothing was stored. Please try again in a minute.", problem.GetProperty("title").GetString());
            Assert.Empty(QueuedMail.For(api, email));
            Assert.Equal(0L, OrdersBy(email));
            var full = await storage.CheckHealthAsync(new HealthCheckContext());
            Assert.Equal(HealthStatus.Unhealthy, full.Status);
            Assert.Contains("eventbooking.db", full.Description);
        }
        finally
        {
            api.FreeSpace();
            refused.ForEach(r => r.Response.Dispose());
        }

        using var again = await client.PostAsync(OrderRequests.Valid());
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(HealthStatus.Healthy, (await storage.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private long OrdersBy(string email)
    {
        using var db = api.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = """SELECT COUNT(*) FROM "Orders" WHERE "Email" = $email""";
        count.Parameters.AddWithValue("$email", email);
        return (long)count.ExecuteScalar()!;
    }
}
