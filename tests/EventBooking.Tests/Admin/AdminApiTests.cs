using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventBooking.Tests.Orders;

namespace EventBooking.Tests.Admin;

[Collection(GraphCollection.Name)]
public sealed class AdminApiTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string> AdminEndpoints => new()
    {
        { "GET", "/api/admin/orders" },
        { "GET", $"/api/admin/orders/{Guid.NewGuid()}" },
        { "PATCH", $"/api/admin/orders/{Guid.NewGuid()}" },
        { "GET", "/api/admin/orders/export.csv" },
        { "GET", "/api/admin/stats" },
        { "GET", "/api/admin/promo/registrations" },
        { "GET", "/api/admin/auth/me" },
        { "GET", "/ws/admin" },
    };

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Anonymous_requests_to_admin_endpoints_are_401_problems(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "PATCH" ? JsonContent.Create(new { status = "contacted", version = 0 }) : null,
        };
        using var response = await graph.NewBrowserLikeClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_admin_websocket_refuses_an_anonymous_upgrade()
    {
        using var socket = new ClientWebSocket();
        var uri = new UriBuilder(new Uri(graph.Frontend.BaseAddress!, "/ws/admin")) { Scheme = "ws" }.Uri;

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        Assert.Contains("401", refused.Message);
    }

    [Fact]
    public async Task A_signed_in_account_without_the_manager_role_is_forbidden()
    {
        var email = $"staff-{Guid.NewGuid():N}@example.com";
        const string password = "Not-A-Manager-Password-7";
        AddAccountWithoutRoles(email, password);
        var client = graph.NewBrowserLikeClient();

        using var signIn = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email, password });
        using var orders = await client.GetAsync("/api/admin/orders");
        using var stats = await client.GetAsync("/api/admin/stats");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, orders.StatusCode);
        Assert.Equal("application/problem+json", orders.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, stats.StatusCode);
    }

    [Fact]
    public async Task The_manager_from_the_app_host_parameters_signs_in_and_out()
    {
        using var client = await graph.SignedInManagerAsync();

        var me = await client.GetFromJsonAsync<JsonElement>("/api/admin/auth/me");
        Assert.Equal(GraphFixture.ManagerEmail, me.GetProperty("email").GetString());
        Assert.Contains("Manager", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        using var signOut = await client.PostAsync("/api/admin/auth/sign-out", null);
        using var after = await client.GetAsync("/api/admin/auth/me");
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_slow_the_guesser_down_but_never_lock_the_manager_out_and_all_refusals_look_alike()
    {
        static Task<HttpResponseMessage> SignIn(HttpClient client, string email, string password) =>
            client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email, password });

        // A stranger guesses from 50 addresses, then keeps guessing from one of them.
        var strangers = Enumerable.Range(1, 50).Select(i => graph.ApiAsProxyFor($"203.0.113.{i}")).ToList();
        foreach (var stranger in strangers)
        {
            using var wrong = await SignIn(stranger, GraphFixture.ManagerEmail, "not-the-password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var guesser = strangers[0];
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await SignIn(guesser, GraphFixture.ManagerEmail, "still-guessing")).Dispose();
        }

        using var throttled = await SignIn(guesser, GraphFixture.ManagerEmail, GraphFixture.ManagerPassword);
        using var unknown = await SignIn(graph.ApiAsProxyFor("198.51.100.7"), "nobody@example.com", "whatever-it-is");
        using var wrongPassword = await SignIn(graph.ApiAsProxyFor("198.51.100.8"), GraphFixture.ManagerEmail, "not-the-password");
        using var manager = graph.ApiAsProxyFor("198.51.100.9");
        using var signedIn = await SignIn(manager, GraphFixture.ManagerEmail, GraphFixture.ManagerPassword);

        // Even the right password waits while the guesser's delay runs, and says nothing more than a wrong one.
        Assert.Equal(HttpStatusCode.Unauthorized, throttled.StatusCode);
        var bodies = await Task.WhenAll(new[] { throttled, unknown, wrongPassword }.Select(r => r.Content.ReadAsStringAsync()));
        Assert.All(new[] { unknown, wrongPassword }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Single(bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("title").GetString()).Distinct());
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        strangers.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task The_live_feed_closes_within_seconds_of_signing_out()
    {
        var handler = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = graph.Frontend.BaseAddress };
        using (var signIn = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = GraphFixture.ManagerEmail, password = GraphFixture.ManagerPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        using var cancel = new CancellationTokenSource(Timeout);
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = handler.CookieContainer;
        await socket.ConnectAsync(new UriBuilder(new Uri(graph.Frontend.BaseAddress!, "/ws/admin")) { Scheme = "ws" }.Uri, cancel.Token);

        using var signOut = await client.PostAsync("/api/admin/auth/sign-out", null);
        var signedOut = Stopwatch.StartNew();
        var buffer = new byte[16 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancel.Token);
        }
        while (result.MessageType != WebSocketMessageType.Close);

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
        Assert.True(signedOut.Elapsed < TimeSpan.FromSeconds(10), $"closed {signedOut.Elapsed.TotalSeconds:0.0} s after sign-out");
    }

    [Fact]
    public async Task Filters_sort_and_paging_return_the_right_requests()
    {
        using var client = await graph.SignedInManagerAsync();
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
            using var created = await graph.Frontend.PostAsync(order);
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
        using var client = await graph.SignedInManagerAsync();
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
        Assert.Equal(GraphFixture.ManagerEmail, history[1].GetProperty("changedBy").GetString());

        using var backwards = await Patch(client, id, "contacted", detail.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
    }

    [Fact]
    public async Task Two_managers_saving_the_same_version_at_once_get_one_success_and_one_409()
    {
        using var first = await graph.SignedInManagerAsync();
        using var second = await graph.SignedInManagerAsync();
        var (id, version) = await NewOrderAsync(first);

        var answers = await Task.WhenAll(Patch(first, id, "contacted", version), Patch(second, id, "cancelled", version));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var detail = await first.GetFromJsonAsync<JsonElement>($"/api/admin/orders/{id}");
        Assert.Single(detail.GetProperty("history").EnumerateArray());
    }

    [Fact]
    public async Task The_csv_export_round_trips_tricky_values_and_neutralises_formulas()
    {
        using var client = await graph.SignedInManagerAsync();
        var marker = $"csv-{Guid.NewGuid():N}";
        var order = OrderRequests.Valid();
        order["customerName"] = "O'Brien, \"Danny\"";
        order["venue"] = "=HYPERLINK(\"http://evil.example\",\"click\")";
        order["notes"] = $"{marker}\nline two, with a comma\r\nand \"quotes\"";
        order["phone"] = null;
        using var created = await graph.Frontend.PostAsync(order);
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
        using var client = await graph.SignedInManagerAsync();
        using (var created = await graph.Frontend.PostAsync(OrderRequests.Valid()))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var stats = await client.GetFromJsonAsync<JsonElement>("/api/admin/stats?days=30");

        using var db = graph.OpenApiDatabase();
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
        var handler = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = graph.Frontend.BaseAddress };
        using (var signIn = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = GraphFixture.ManagerEmail, password = GraphFixture.ManagerPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        using var cancel = new CancellationTokenSource(Timeout);
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = handler.CookieContainer;
        await socket.ConnectAsync(new UriBuilder(new Uri(graph.Frontend.BaseAddress!, "/ws/admin")) { Scheme = "ws" }.Uri, cancel.Token);

        using var created = await graph.Frontend.PostAsync(OrderRequests.Valid());
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
        using var created = await graph.Frontend.PostAsync(order);
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();
        var found = await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={reference}");
        var item = Assert.Single(found.GetProperty("items").EnumerateArray());
        return (item.GetProperty("id").GetGuid(), item.GetProperty("version").GetInt32());
    }

    // Back-office accounts other than the seeded manager have no API yet; write one as Identity would store it.
    private void AddAccountWithoutRoles(string email, string password)
    {
        var user = new Microsoft.AspNetCore.Identity.IdentityUser { UserName = email, Email = email };
        var hash = new Microsoft.AspNetCore.Identity.PasswordHasher<Microsoft.AspNetCore.Identity.IdentityUser>().HashPassword(user, password);
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={graph.ApiDatabasePath};Default Timeout=30");
        db.Open();
        using var insert = db.CreateCommand();
        insert.CommandText = """
            INSERT INTO AspNetUsers (Id, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed, PasswordHash,
                SecurityStamp, ConcurrencyStamp, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
            VALUES ($id, $email, $normalized, $email, $normalized, 1, $hash, $stamp, $stamp, 0, 0, 1, 0)
            """;
        insert.Parameters.AddWithValue("$id", user.Id);
        insert.Parameters.AddWithValue("$email", email);
        insert.Parameters.AddWithValue("$normalized", email.ToUpperInvariant());
        insert.Parameters.AddWithValue("$hash", hash);
        insert.Parameters.AddWithValue("$stamp", Guid.NewGuid().ToString("N"));
        Assert.Equal(1, insert.ExecuteNonQuery());
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

/// <summary>A strict RFC 4180 reader, written independently of the server's writer.</summary>
public static class CsvReader
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { cell.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = []; i++; }
            else { cell.Append(c); }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }

        return rows;
    }
}
