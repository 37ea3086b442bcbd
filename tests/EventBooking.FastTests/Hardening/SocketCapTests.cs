using System.Net.WebSockets;
using System.Text.Json;
using EventBooking.FastTests.Infrastructure;

namespace EventBooking.FastTests.Hardening;

public sealed class ThreeSocketsApi : ApiFactory
{
    public const int MaxPerClient = 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WebSockets:MaxPerClient"] = MaxPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class SocketCapTests(ThreeSocketsApi api) : IClassFixture<ThreeSocketsApi>
{
    [Fact]
    public async Task Twenty_parallel_upgrades_from_one_address_get_exactly_the_allowed_three_sockets()
    {
        using var http = api.ClientAt("192.0.2.50");
        using var signUp = await http.PostAsJsonAsync("/api/promo/registrations", new { email = $"watcher-{Guid.NewGuid():N}@example.com", name = "Watcher" });
        var statusUrl = (await signUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!;
        var address = new UriBuilder(new Uri(http.BaseAddress!, statusUrl)) { Scheme = "ws" }.Uri;

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("X-EventBooking-Proxy-Key", ApiFactory.SiteProxyKey);
            socket.Options.SetRequestHeader("X-Forwarded-For", "192.0.2.50");
            try
            {
                await socket.ConnectAsync(address, CancellationToken.None);
                return socket;
            }
            catch (WebSocketException refused) when (refused.Message.Contains("429", StringComparison.Ordinal))
            {
                socket.Dispose();
                return null;
            }
        }));

        var open = attempts.OfType<ClientWebSocket>().ToList();
        Assert.Equal(ThreeSocketsApi.MaxPerClient, open.Count);
        open.ForEach(socket => socket.Dispose());
    }
}
