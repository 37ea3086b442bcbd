using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventBooking.FastTests.Infrastructure;
using EventBooking.Tests.Infrastructure;
using EventBooking.Tests.Orders;

namespace EventBooking.FastTests.Hardening;

/// <summary>The API with small limits. Without a notifier a sign-up stays queued, so sockets on it stay open.</summary>
public sealed class SmallLimitsApi : ApiFactory
{
    public const int OrdersPerWindow = 3;
    public const int SignUpsPerWindow = 2;
    public const int SignInsPerWindow = 3;
    public const int SocketsPerClient = 3;
    public const int MaxMessageBytes = 256;
    public const int MaxClientMessages = 5;
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(2);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:Orders:PermitLimit"] = $"{OrdersPerWindow}",
        ["RateLimits:Orders:Window"] = "00:01:00",
        ["RateLimits:PromoSignUps:PermitLimit"] = $"{SignUpsPerWindow}",
        ["RateLimits:PromoSignUps:Window"] = "00:01:00",
        ["RateLimits:SignIn:PermitLimit"] = $"{SignInsPerWindow}",
        ["RateLimits:SignIn:Window"] = "00:01:00",
        ["WebSockets:MaxPerClient"] = $"{SocketsPerClient}",
        ["WebSockets:MaxMessageBytes"] = $"{MaxMessageBytes}",
        ["WebSockets:MaxClientMessages"] = $"{MaxClientMessages}",
        ["WebSockets:IdleTimeout"] = $"{IdleTimeout}",
    };
}

/// <summary>Each test is a person at an address of its own, so one test's allowance never meets another's.</summary>
public sealed class HardeningTests(SmallLimitsApi api) : IClassFixture<SmallLimitsApi>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Orders_beyond_the_per_client_limit_get_429_with_retry_after_and_are_not_stored()
    {
        using var client = api.ClientAt("192.0.2.10");
        var answers = new List<(string Email, HttpResponseMessage Response)>();
        for (var i = 0; i < SmallLimitsApi.OrdersPerWindow + 2; i++)
        {
            var order = OrderRequests.Valid();
            answers.Add((order["email"]!.GetValue<string>(), await client.PostAsync(order)));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Created, SmallLimitsApi.OrdersPerWindow), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            answers.Select(a => a.Response.StatusCode));
        var first = answers[^2].Response;
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);
        Assert.InRange(first.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Equal(0, StoredCount("""SELECT COUNT(*) FROM "Orders" WHERE "EmailNormalized" IN ($a, $b)""", answers[^2].Email, answers[^1].Email));
    }

    [Fact]
    public async Task Promo_sign_ups_beyond_the_per_client_limit_get_429_and_are_not_queued()
    {
        using var client = api.ClientAt("192.0.2.11");
        var answers = new List<(string Email, HttpResponseMessage Response)>();
        for (var i = 0; i < SmallLimitsApi.SignUpsPerWindow + 1; i++)
        {
            var email = $"limited-{Guid.NewGuid():N}@example.com";
            answers.Add((email, await client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Limited" })));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, SmallLimitsApi.SignUpsPerWindow), HttpStatusCode.TooManyRequests],
            answers.Select(a => a.Response.StatusCode));
        Assert.NotNull(answers[^1].Response.Headers.RetryAfter);
        Assert.Equal(0, StoredCount("""SELECT COUNT(*) FROM "PromoRegistrations" WHERE "Email" IN ($a, $b)""", answers[^1].Email, answers[^1].Email));
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_per_client_limit_get_429_before_any_password_is_checked()
    {
        using var client = api.ClientAt("192.0.2.12");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= SmallLimitsApi.SignInsPerWindow; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ApiFactory.ManagerEmail, password = "guessing-again" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, SmallLimitsApi.SignInsPerWindow), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_websocket_opened_by_another_sites_page_is_refused_and_the_sites_own_is_served()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var statusUrl = await SignUpAsync("192.0.2.13");
        var siteOrigin = api.Address.GetLeftPart(UriPartial.Authority);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync("192.0.2.13", statusUrl, "http://evil.example", cancel.Token));
        using var own = await ConnectAsync("192.0.2.13", statusUrl, siteOrigin, cancel.Token);
        var first = await ReceiveJsonAsync(own, cancel.Token);

        Assert.Contains("403", refused.Message);
        Assert.Equal("Queued", first.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_client_cannot_hold_more_sockets_than_the_limit_and_gets_a_slot_back_when_one_closes()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var statusUrl = await SignUpAsync("192.0.2.14");
        var open = new List<ClientWebSocket>();
        for (var i = 0; i < SmallLimitsApi.SocketsPerClient; i++)
        {
            open.Add(await ConnectAsync("192.0.2.14", statusUrl, null, cancel.Token));
        }

        var overLimit = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync("192.0.2.14", statusUrl, null, cancel.Token));
        await open[0].CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token);
        using var again = await Eventually.SucceedsAsync(() => ConnectAsync("192.0.2.14", statusUrl, null, cancel.Token), Timeout, "a slot comes back");

        Assert.Contains("429", overLimit.Message);
        Assert.Equal(WebSocketState.Open, again.State);
        open.ForEach(s => s.Dispose());
    }

    [Theory]
    [InlineData("binary", WebSocketCloseStatus.InvalidMessageType)]
    [InlineData("oversized", WebSocketCloseStatus.MessageTooBig)]
    [InlineData("chatty", WebSocketCloseStatus.PolicyViolation)]
    public async Task A_misbehaving_websocket_client_is_closed_with_a_status_that_says_why(string misbehaviour, WebSocketCloseStatus expected)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var address = $"192.0.2.{20 + misbehaviour.Length}";
        using var socket = await ConnectAsync(address, await SignUpAsync(address), null, cancel.Token);
        await ReceiveJsonAsync(socket, cancel.Token);

        switch (misbehaviour)
        {
            case "binary":
                await socket.SendAsync(new byte[] { 0, 1, 2, 3 }, WebSocketMessageType.Binary, true, cancel.Token);
                break;
            case "oversized":
                await socket.SendAsync(Encoding.UTF8.GetBytes(new string('x', SmallLimitsApi.MaxMessageBytes * 4)), WebSocketMessageType.Text, true, cancel.Token);
                break;
            default:
                for (var i = 0; i <= SmallLimitsApi.MaxClientMessages; i++)
                {
                    await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, cancel.Token);
                }

                break;
        }

        Assert.Equal(expected, await CloseStatusAsync(socket, cancel.Token));
    }

    [Theory]
    [InlineData(0, WebSocketCloseStatus.InvalidMessageType)]
    [InlineData(1, WebSocketCloseStatus.MessageTooBig)]
    public async Task A_message_of_the_size_limit_is_taken_and_one_byte_more_is_not(int over, WebSocketCloseStatus expected)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var address = $"192.0.2.{40 + over}";
        using var socket = await ConnectAsync(address, await SignUpAsync(address), null, cancel.Token);
        await ReceiveJsonAsync(socket, cancel.Token);

        await socket.SendAsync(Encoding.UTF8.GetBytes(new string('x', SmallLimitsApi.MaxMessageBytes + over)), WebSocketMessageType.Text, true, cancel.Token);
        // Taken, the message leaves the socket open for the next one, which breaks another rule.
        await socket.SendAsync(new byte[] { 0 }, WebSocketMessageType.Binary, true, cancel.Token);

        Assert.Equal(expected, await CloseStatusAsync(socket, cancel.Token));
    }

    [Fact]
    public async Task A_socket_with_nothing_to_say_is_closed_after_the_idle_timeout()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var socket = await ConnectAsync("192.0.2.15", await SignUpAsync("192.0.2.15"), null, cancel.Token);
        await ReceiveJsonAsync(socket, cancel.Token);
        var opened = System.Diagnostics.Stopwatch.StartNew();

        var status = await CloseStatusAsync(socket, cancel.Token);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, status);
        Assert.Equal("idle", socket.CloseStatusDescription);
        Assert.True(opened.Elapsed >= SmallLimitsApi.IdleTimeout - TimeSpan.FromMilliseconds(500), $"closed after {opened.Elapsed}");
    }

    private async Task<string> SignUpAsync(string address)
    {
        using var client = api.ClientAt(address);
        using var response = await client.PostAsJsonAsync("/api/promo/registrations", new { email = $"watched-{Guid.NewGuid():N}@example.com", name = "Watched" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
    }

    private async Task<ClientWebSocket> ConnectAsync(string address, string statusUrl, string? origin, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-EventBooking-Proxy-Key", ApiFactory.SiteProxyKey);
        socket.Options.SetRequestHeader("X-Forwarded-For", address);
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await socket.ConnectAsync(new UriBuilder(new Uri(api.Address, statusUrl)) { Scheme = "ws" }.Uri, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<JsonElement> ReceiveJsonAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var result = await socket.ReceiveAsync(buffer, cancellationToken);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
    }

    /// <summary>Reads (and drops) messages until the server closes the socket; returns the status it closed with.</summary>
    private static async Task<WebSocketCloseStatus?> CloseStatusAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                }
                catch (WebSocketException) when (socket.CloseStatus is not null)
                {
                    // The server may hang up right after its close frame, before this answer reaches it (RFC 6455
                    // 7.1.1 allows it): the status it closed with has arrived, and that is what is asserted.
                }
            }
        }

        return socket.CloseStatus;
    }

    private long StoredCount(string sql, string a, string b)
    {
        using var db = api.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", a.ToLowerInvariant());
        command.Parameters.AddWithValue("$b", b.ToLowerInvariant());
        return (long)command.ExecuteScalar()!;
    }
}
