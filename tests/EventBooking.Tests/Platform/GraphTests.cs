using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Text.Json;

namespace EventBooking.Tests.Platform;

[Collection(GraphCollection.Name)]
public sealed class GraphTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_resource_reaches_healthy()
    {
        foreach (var name in GraphFixture.ResourceNames)
        {
            var state = await graph.App.ResourceNotifications
                .WaitForResourceHealthyAsync(name).WaitAsync(Timeout);

            Assert.Equal(HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task Api_health_reports_the_broker_as_healthy()
    {
        using var response = await graph.Api.GetAsync("/health").WaitAsync(Timeout);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = report.RootElement.GetProperty("checks").EnumerateObject().ToList();
        var rabbit = Assert.Single(checks, check => check.Name.Contains("RabbitMQ", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Healthy", rabbit.Value.GetProperty("status").GetString());
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
