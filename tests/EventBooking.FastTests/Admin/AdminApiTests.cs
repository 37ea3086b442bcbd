using System.Text;
using System.Text.Json;
using EventBooking.FastTests.Infrastructure;
using EventBooking.Tests.Orders;

namespace EventBooking.FastTests.Admin;

public sealed class AdminApiTests(ApiFactory api) : IClassFixture<ApiFactory>, IDisposable
{
    private readonly HttpClient _client = api.ClientAt("192.0.2.30");

    public void Dispose() => _client.Dispose();

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Filters_sort_and_paging_return_the_right_requests()
    {
        using var client = await api.SignedInManagerAsync();
        var marker = $"seed-{Guid.NewGuid():N}";
        var seeded = new List<(string Type, int Guests, DateOnly Date)>();
        for (var i = 0; i < 12; i++)
        {
            var order = OrderRequests.Valid();
            var type = i % 3 == 0 ? "wedding" : "conference";
            var date = OrderRequests.Today.AddDays(10 + i);
            order["eventType"] = type;
            order["guestCount"] = 10 + (i * 7 % 12) * 5;
            order["eventDate"] = date.ToString("yyyy-MM-dd");
            order["notes"] = $"{marker} order {i}";
            using var created = await _client.PostAsync(order);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            seeded.Add((type, order["guestCount"]!.GetValue<int>(), date));
        }

        var all = await client.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={marker}&pageSize=100");
        Assert.Equal(12, all.GetProperty("total").GetInt32());

        var weddings = await client.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={marker}&eventType=wedding");
        Assert.Equal(seeded.Count(s => s.Type == "wedding"), weddings.GetProperty("total").GetInt32());
        Assert.All(weddings.GetProperty("items").EnumerateArray(), o => Assert.Equal("wedding", o.GetProperty("eventType").GetString()));

        var byGuests = await client.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={marker}&sort=guests&dir=asc&pageSize=100");
        var guests = byGuests.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("guestCount").GetInt32()).ToList();
        Assert.Equal(seeded.Select(s => s.Guests).Order(), guests);

        var from = OrderRequests.Today.AddDays(13).ToString("yyyy-MM-dd");
        var to = OrderRequests.Today.AddDays(16).ToString("yyyy-MM-dd");
        var window = await client.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={marker}&eventFrom={from}&eventTo={to}");
        Assert.Equal(4, window.GetProperty("total").GetInt32());

        var page2 = await client.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={marker}&sort=eventDate&dir=asc&page=2&pageSize=5");
        var dates = page2.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("eventDate").GetString()).ToList();
        Assert.Equal(seeded.Select(s => s.Date.ToString("yyyy-MM-dd")).Order().Skip(5).Take(5), dates);

        var capped = await client.GetFromJsonAsync<JsonElement>("/api/admin/orders?pageSize=5000");
        Assert.Equal(100, capped.GetProperty("pageSize").GetInt32());

        using var badSort = await client.GetAsync("/api/admin/orders?sort=password");
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
    }

    [Fact]
    public async Task The_status_workflow_refuses_illegal_moves_and_keeps_a_history()
    {
        using var client = await api.SignedInManagerAsync();
        var (id, version) = await NewOrderAsync(client);

        using var skip = await Patch(client, id, "confirmed", version);
        Assert.Equal(HttpStatusCode.BadRequest, skip.StatusCode);

        using var contacted = await Patch(client, id, "contacted", version, "Called, left a voicemail");
        var afterContact = await contacted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, contacted.StatusCode);
        Assert.Equal("contacted", afterContact.GetProperty("status").GetString());

        using var stale = await Patch(client, id, "confirmed", version);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        using var confirmed = await Patch(client, id, "confirmed", afterContact.GetProperty("version").GetInt32());
        var detail = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        var history = detail.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal(("new", "contacted"), (history[0].GetProperty("from").GetString(), history[0].GetProperty("to").GetString()));
        Assert.Equal("Called, left a voicemail", history[0].GetProperty("note").GetString());
        Assert.Equal(ApiFactory.ManagerEmail, history[1].GetProperty("changedBy").GetString());

        using var backwards = await Patch(client, id, "contacted", detail.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
    }

    [Fact]
    public async Task Two_managers_saving_the_same_version_at_once_get_one_success_and_one_409()
    {
        using var first = await api.SignedInManagerAsync();
        using var second = await api.SignedInManagerAsync();
        var (id, version) = await NewOrderAsync(first);

        var answers = await Task.WhenAll(Patch(first, id, "contacted", version), Patch(second, id, "cancelled", version));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var detail = await first.GetFromJsonAsync<JsonElement>($"/api/admin/orders/{id}");
        Assert.Single(detail.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task The_csv_export_round_trips_tricky_values_and_neutralises_formulas()
    {
        using var client = await api.SignedInManagerAsync();
        var marker = $"csv-{Guid.NewGuid():N}";
        var order = OrderRequests.Valid();
        order["customerName"] = "O'Brien, \"Danny\"";
        order["venue"] = "=HYPERLINK(\"http://evil.example\",\"click\")";
        order["notes"] = $"{marker}\nline two, with a comma\r\nand \"quotes\"";
        order["phone"] = null;
        using var created = await _client.PostAsync(order);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var export = await client.GetAsync($"/api/admin/orders/export.csv?search={marker}");
        var bytes = await export.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var rows = CsvReader.Parse(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'));
        Assert.Equal(2, rows.Count);
        var row = rows[0].Zip(rows[1]).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal("O'Brien, \"Danny\"", row["Name"]);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", row["City or venue"]);
        Assert.Equal(order["notes"]!.GetValue<string>(), row["Notes"]);
        Assert.Equal(order["email"]!.GetValue<string>(), row["Email"]);
    }

    [Fact]
    public async Task Stats_match_counts_taken_directly_from_the_database()
    {
        using var client = await api.SignedInManagerAsync();
        using (var created = await _client.PostAsync(OrderRequests.Valid()))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var stats = await client.GetFromJsonAsync<JsonElement>("/api/admin/stats?days=30");

        using var db = api.OpenDatabase();
        var byType = Query(db, "SELECT EventType, COUNT(*) FROM Orders GROUP BY EventType")
            .ToDictionary(p => JsonNamingPolicy.KebabCaseLower.ConvertName(p.Key), p => p.Value);
        var byStatus = Query(db, "SELECT Status, COUNT(*) FROM Orders GROUP BY Status")
            .ToDictionary(p => JsonNamingPolicy.KebabCaseLower.ConvertName(p.Key), p => p.Value);
        var promo = Query(db, "SELECT Status, COUNT(*) FROM PromoRegistrations GROUP BY Status");
        Assert.Equal(byType, stats.GetProperty("byEventType").EnumerateArray().ToDictionary(x => x.GetProperty("label").GetString()!, x => x.GetProperty("count").GetInt64()));
        Assert.Equal(byStatus, stats.GetProperty("byStatus").EnumerateArray().ToDictionary(x => x.GetProperty("label").GetString()!, x => x.GetProperty("count").GetInt64()));
        Assert.Equal(byType.Values.Sum(), stats.GetProperty("ordersPerDay").EnumerateArray().Sum(d => d.GetProperty("count").GetInt64()));
        Assert.Equal(30, stats.GetProperty("ordersPerDay").GetArrayLength());
        Assert.Equal(promo.Values.Sum(), stats.GetProperty("promo").GetProperty("signUps").GetInt64());
        Assert.Equal(promo.GetValueOrDefault("CodeIssued"), stats.GetProperty("promo").GetProperty("codesIssued").GetInt64());
    }

    [Fact]
    public async Task The_live_feed_announces_a_new_order_to_a_signed_in_manager()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var feed = await api.ManagerWithLiveFeedAsync(cancel.Token);
        var (client, socket) = (feed.Manager, feed.Socket);

        using var created = await _client.PostAsync(OrderRequests.Valid());
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();

        var buffer = new byte[16 * 1024];
        string? seen = null;
        while (seen != reference)
        {
            var result = await socket.ReceiveAsync(buffer, cancel.Token);
            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (message.RootElement.GetProperty("type").GetString() == "order-created")
            {
                seen = message.RootElement.GetProperty("data").GetProperty("reference").GetString();
            }
        }

        Assert.Equal(reference, seen);
    }

    private static Task<HttpResponseMessage> Patch(HttpClient client, Guid id, string status, int version, string? note = null) =>
        client.PatchAsJsonAsync($"/api/admin/orders/{id}", new { status, version, note });

    private async Task<(Guid Id, int Version)> NewOrderAsync(HttpClient manager)
    {
        var order = OrderRequests.Valid();
        using var created = await _client.PostAsync(order);
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();
        var found = await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={reference}");
        var item = Assert.Single(found.GetProperty("items").EnumerateArray());
        return (item.GetProperty("id").GetGuid(), item.GetProperty("version").GetInt32());
    }

    private static Dictionary<string, long> Query(Microsoft.Data.Sqlite.SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, long>();
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }
}
