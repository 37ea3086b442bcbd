using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

using EventBooking.FastTests.Infrastructure;

namespace EventBooking.FastTests.Admin;

/// <summary>Who gets into the back office, and for how long.</summary>
public sealed class AuthApiTests(ApiFactory api) : IClassFixture<ApiFactory>
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

    [Fact]
    public async Task The_manager_session_cookie_is_http_only_and_same_site_strict()
    {
        using var client = api.ClientAt("192.0.2.41");
        using var response = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ApiFactory.ManagerEmail, password = ApiFactory.ManagerPassword });

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("eventbooking.admin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(AdminEndpoints))]
    public async Task Anonymous_requests_to_admin_endpoints_are_401_problems(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "PATCH" ? JsonContent.Create(new { status = "contacted", version = 0 }) : null,
        };
        using var response = await api.ClientAt("192.0.2.40").SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_admin_websocket_refuses_an_anonymous_upgrade()
    {
        using var socket = new ClientWebSocket();
        using var http = api.ClientAt("192.0.2.41");
        var uri = new UriBuilder(new Uri(http.BaseAddress!, "/ws/admin")) { Scheme = "ws" }.Uri;

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        Assert.Contains("401", refused.Message);
    }

    [Fact]
    public async Task A_signed_in_account_without_the_manager_role_is_forbidden()
    {
        var email = $"staff-{Guid.NewGuid():N}@example.com";
        const string password = "Not-A-Manager-Password-7";
        AddAccountWithoutRoles(email, password);
        var client = api.ClientAt("192.0.2.40");

        using var signIn = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email, password });
        using var orders = await client.GetAsync("/api/admin/orders");
        using var stats = await client.GetAsync("/api/admin/stats");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, orders.StatusCode);
        Assert.Equal("application/problem+json", orders.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, stats.StatusCode);
    }

    [Fact]
    public async Task The_seeded_manager_signs_in_and_out()
    {
        using var client = await api.SignedInManagerAsync();

        var me = await client.GetFromJsonAsync<JsonElement>("/api/admin/auth/me");
        Assert.Equal(ApiFactory.ManagerEmail, me.GetProperty("email").GetString());
        Assert.Contains("Manager", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        using var signOut = await client.PostAsync("/api/admin/auth/sign-out", null);
        using var after = await client.GetAsync("/api/admin/auth/me");
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task The_session_probe_answers_200_with_the_manager_or_null_so_the_sign_in_page_logs_no_error()
    {
        using var anonymous = api.ClientAt("192.0.2.42");
        using var manager = await api.SignedInManagerAsync();

        var nobody = await anonymous.GetFromJsonAsync<JsonElement>("/api/admin/auth/session");
        var someone = await manager.GetFromJsonAsync<JsonElement>("/api/admin/auth/session");

        Assert.Equal(JsonValueKind.Null, nobody.GetProperty("manager").ValueKind);
        Assert.Equal(ApiFactory.ManagerEmail, someone.GetProperty("manager").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Wrong_passwords_slow_the_guesser_down_but_never_lock_the_manager_out_and_all_refusals_look_alike()
    {
        static Task<HttpResponseMessage> SignIn(HttpClient client, string email, string password) =>
            client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email, password });

        // A stranger guesses from 50 addresses, then keeps guessing from one of them.
        var strangers = Enumerable.Range(1, 50).Select(i => api.ClientAt($"203.0.113.{i}")).ToList();
        foreach (var stranger in strangers)
        {
            using var wrong = await SignIn(stranger, ApiFactory.ManagerEmail, "not-the-password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var guesser = strangers[0];
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await SignIn(guesser, ApiFactory.ManagerEmail, "still-guessing")).Dispose();
        }

        using var throttled = await SignIn(guesser, ApiFactory.ManagerEmail, ApiFactory.ManagerPassword);
        using var unknown = await SignIn(api.ClientAt("198.51.100.7"), "nobody@example.com", "whatever-it-is");
        using var wrongPassword = await SignIn(api.ClientAt("198.51.100.8"), ApiFactory.ManagerEmail, "not-the-password");
        using var manager = api.ClientAt("198.51.100.9");
        using var signedIn = await SignIn(manager, ApiFactory.ManagerEmail, ApiFactory.ManagerPassword);

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
        using var cancel = new CancellationTokenSource(Timeout);
        using var feed = await api.ManagerWithLiveFeedAsync(cancel.Token);
        var (client, socket) = (feed.Manager, feed.Socket);

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

    // Back-office accounts other than the seeded manager have no API yet; write one as Identity would store it.
    private void AddAccountWithoutRoles(string email, string password)
    {
        var user = new Microsoft.AspNetCore.Identity.IdentityUser { UserName = email, Email = email };
        var hash = new Microsoft.AspNetCore.Identity.PasswordHasher<Microsoft.AspNetCore.Identity.IdentityUser>().HashPassword(user, password);
        using var db = api.OpenDatabase(writable: true);
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
}
