using System.Text.Json;

namespace EventBooking.Tests.Platform;

[Collection(GraphCollection.Name)]
public sealed class GraphTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Api_health_shows_each_background_loop_running_and_the_database_answering()
    {
        using var response = await graph.Api.GetAsync("/health").WaitAsync(Timeout);
        var body = await response.Content.ReadAsStringAsync();
        using var report = JsonDocument.Parse(body);

        Assert.True(HttpStatusCode.OK == response.StatusCode, body);
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("running: admin feed relay, mail sender, outbox relay, promo status consumer, queue positions",
            checks.GetProperty("background-loops").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Frontend_serves_the_landing_page()
    {
        using var response = await graph.Frontend.GetAsync("/").WaitAsync(Timeout);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("href=\"/order\"", html);
        Assert.Contains("href=\"/promo\"", html);
    }

    [Fact]
    public async Task Frontend_forwards_api_requests_to_the_api()
    {
        var ping = await graph.Frontend.GetFromJsonAsync<JsonElement>("/api/ping").WaitAsync(Timeout);

        Assert.Equal("eventbooking-api", ping.GetProperty("service").GetString());
    }
}
