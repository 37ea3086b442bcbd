using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventBooking.Tests.Orders;
using EventBooking.Tests.Promo;

namespace EventBooking.Tests.Hardening;

/// <summary>A graph with small limits, and one promo sign-up that stays in processing so its sockets stay open.</summary>
public sealed class HardeningFixture : GraphFixture
{
    public const int OrdersPerWindow = 3;
    public const int SignUpsPerWindow = 2;
    public const int SignInsPerWindow = 3;
    public const int SocketsPerClient = 3;
    public const int MaxMessageBytes = 256;
    public const int MaxClientMessages = 5;
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);

    protected override string[] Arguments =>
    [
        .. DefaultArguments,
        // Later arguments win: these replace the shared graph's generous limits.
        "--Promo:StepDelay=00:01:00",
        $"--RateLimits:Orders:PermitLimit={OrdersPerWindow}",
        "--RateLimits:Orders:Window=00:01:00",
        $"--RateLimits:PromoSignUps:PermitLimit={SignUpsPerWindow}",
        "--RateLimits:PromoSignUps:Window=00:01:00",
        $"--RateLimits:SignIn:PermitLimit={SignInsPerWindow}",
        "--RateLimits:SignIn:Window=00:01:00",
        $"--WebSockets:MaxPerClient={SocketsPerClient}",
        $"--WebSockets:MaxMessageBytes={MaxMessageBytes}",
        $"--WebSockets:MaxClientMessages={MaxClientMessages}",
        $"--WebSockets:IdleTimeout={IdleTimeout}",
    ];

    /// <summary>Processed in three one-minute steps: a socket on it gets its status and then nothing for a minute.</summary>
    public SignUp Watched { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Watched = await Frontend.SignUpAsync($"watched-{Guid.NewGuid():N}@example.com");
    }
}

[CollectionDefinition(Name)]
public sealed class HardeningCollection : ICollectionFixture<HardeningFixture>
{
    public const string Name = "hardening";
}

[Collection(HardeningCollection.Name)]
[Trait("Category", "Hardening")]
public sealed class HardeningTests(HardeningFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Orders_beyond_the_per_client_limit_get_429_with_retry_after_and_are_not_stored()
    {
        var answers = new List<(string Email, HttpResponseMessage Response)>();
        for (var i = 0; i < HardeningFixture.OrdersPerWindow + 2; i++)
        {
            var order = OrderRequests.Valid();
            answers.Add((order["email"]!.GetValue<string>(), await graph.Frontend.PostAsync(order)));
        }

        var refused = answers.Where(a => a.Response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(refused.Count >= 2, string.Join(", ", answers.Select(a => (int)a.Response.StatusCode)));
        Assert.All(answers.Except(refused), a => Assert.Equal(HttpStatusCode.Created, a.Response.StatusCode));
        var first = refused[0].Response;
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);
        Assert.InRange(first.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);

        using var db = graph.OpenApiDatabase();
        foreach (var (email, _) in refused)
        {
            Assert.Equal(0, db.Count("""SELECT COUNT(*) FROM "Orders" WHERE "EmailNormalized" = @email""", ("email", email.ToLowerInvariant())));
        }
    }

    [Fact]
    public async Task Promo_sign_ups_beyond_the_per_client_limit_get_429_and_are_not_queued()
    {
        var answers = new List<(string Email, HttpStatusCode Status)>();
        for (var i = 0; i < HardeningFixture.SignUpsPerWindow + 1; i++)
        {
            var email = $"limited-{Guid.NewGuid():N}@example.com";
            using var response = await graph.Frontend.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Limited" });
            answers.Add((email, response.StatusCode));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        var refused = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        using var db = graph.OpenApiDatabase();
        foreach (var (email, _) in refused)
        {
            Assert.Equal(0, db.Count("""SELECT COUNT(*) FROM "PromoRegistrations" WHERE "Email" = @email""", ("email", email)));
        }
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_per_client_limit_get_429_before_any_password_is_checked()
    {
        var client = graph.NewBrowserLikeClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= HardeningFixture.SignInsPerWindow; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = GraphFixture.ManagerEmail, password = "guessing-again" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, HardeningFixture.SignInsPerWindow), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task A_websocket_opened_by_another_sites_page_is_refused_and_the_sites_own_is_served()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var siteOrigin = graph.Frontend.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync("http://evil.example", cancel.Token));
        using var own = await Eventually.SucceedsAsync(() => ConnectAsync(siteOrigin, cancel.Token), Timeout, "the site's own page connects");
        var first = await ReceiveJsonAsync(own, cancel.Token);

        Assert.Contains("403", refused.Message);
        Assert.Equal(graph.Watched.RegistrationId, first.GetProperty("registrationId").GetString());
    }

    [Fact]
    public async Task A_client_cannot_hold_more_sockets_than_the_limit_and_gets_a_slot_back_when_one_closes()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        // Sockets of earlier tests may still be closing on the server: wait until the whole allowance is free.
        var open = await Eventually.SucceedsAsync(async () =>
        {
            var sockets = new List<ClientWebSocket>();
            try
            {
                for (var i = 0; i < HardeningFixture.SocketsPerClient; i++)
                {
                    sockets.Add(await ConnectAsync(null, cancel.Token));
                }

                return sockets;
            }
            catch (WebSocketException)
            {
                sockets.ForEach(s => s.Dispose());
                throw;
            }
        }, Timeout, "the allowance is free");

        var overLimit = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(null, cancel.Token));
        Assert.Contains("429", overLimit.Message);

        await open[0].CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancel.Token);
        using var again = await Eventually.SucceedsAsync(() => ConnectAsync(null, cancel.Token), Timeout, "a slot comes back");
        Assert.Equal(WebSocketState.Open, again.State);
        open.ForEach(s => s.Dispose());
    }

    public static TheoryData<string, WebSocketCloseStatus> Misbehaviours => new()
    {
        { "binary", WebSocketCloseStatus.InvalidMessageType },
        { "oversized", WebSocketCloseStatus.MessageTooBig },
        { "chatty", WebSocketCloseStatus.PolicyViolation },
    };

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task A_misbehaving_websocket_client_is_closed_with_a_status_that_says_why(string misbehaviour, WebSocketCloseStatus expected)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var socket = await Eventually.SucceedsAsync(() => ConnectAsync(null, cancel.Token), Timeout, "a socket opens");
        await ReceiveJsonAsync(socket, cancel.Token);

        switch (misbehaviour)
        {
            case "binary":
                await socket.SendAsync(new byte[] { 0, 1, 2, 3 }, WebSocketMessageType.Binary, true, cancel.Token);
                break;
            case "oversized":
                await socket.SendAsync(Encoding.UTF8.GetBytes(new string('x', HardeningFixture.MaxMessageBytes * 4)), WebSocketMessageType.Text, true, cancel.Token);
                break;
            default:
                for (var i = 0; i <= HardeningFixture.MaxClientMessages; i++)
                {
                    await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, cancel.Token);
                }

                break;
        }

        var watch = await socket.ReadUntilClosedAsync(cancel.Token);
        Assert.Equal(expected, watch.CloseStatus);
    }

    [Fact]
    public async Task A_socket_with_nothing_to_say_is_closed_after_the_idle_timeout()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var socket = await Eventually.SucceedsAsync(() => ConnectAsync(null, cancel.Token), Timeout, "a socket opens");
        await ReceiveJsonAsync(socket, cancel.Token);
        var opened = System.Diagnostics.Stopwatch.StartNew();

        var watch = await socket.ReadUntilClosedAsync(cancel.Token);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, watch.CloseStatus);
        Assert.Equal("idle", socket.CloseStatusDescription);
        Assert.True(opened.Elapsed >= HardeningFixture.IdleTimeout - TimeSpan.FromSeconds(1), $"closed after {opened.Elapsed}");
    }

    private async Task<ClientWebSocket> ConnectAsync(string? origin, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new UriBuilder(new Uri(graph.Frontend.BaseAddress!, graph.Watched.StatusUrl)) { Scheme = "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
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
}
