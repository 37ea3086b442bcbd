using System.Net.WebSockets;
using System.Text.Json;
using EventBooking.Tests.Orders;

namespace EventBooking.Tests.Platform;

/// <summary>
/// What only the whole site can show: the frontend's proxy in front of the API. The API's own HTTP contracts are in the
/// fast layer, and what the site answers itself (headers, the body limit) in its own fast tests.
/// </summary>
[Collection(GraphCollection.Name)]
public sealed class SiteProxyTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_manager_from_the_app_host_parameters_signs_in_through_the_site_and_out()
    {
        using var client = await graph.SignedInManagerAsync();

        var me = await client.GetFromJsonAsync<JsonElement>("/api/admin/auth/me");
        using var signOut = await client.PostAsync("/api/admin/auth/sign-out", null);
        using var after = await client.GetAsync("/api/admin/auth/me");

        Assert.Equal(GraphFixture.ManagerEmail, me.GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task The_live_feed_through_the_site_announces_an_order_posted_to_the_site()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var feed = await graph.ManagerWithLiveFeedAsync(cancel.Token);

        using var created = await graph.Frontend.PostAsync(OrderRequests.Valid());
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();

        var buffer = new byte[16 * 1024];
        string? seen = null;
        while (seen != reference)
        {
            var result = await feed.Socket.ReceiveAsync(buffer, cancel.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (message.RootElement.GetProperty("type").GetString() == "order-created")
            {
                seen = message.RootElement.GetProperty("data").GetProperty("reference").GetString();
            }
        }

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
