using System.Text.Json;
using System.Text.RegularExpressions;

namespace EventBooking.Tests.Platform;

[Collection(GraphCollection.Name)]
public sealed partial class GraphTests(GraphFixture graph)
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
    public async Task Every_page_the_landing_page_links_to_and_every_file_it_loads_is_served()
    {
        using var response = await graph.Frontend.GetAsync("/").WaitAsync(Timeout);
        var html = await response.Content.ReadAsStringAsync();
        var targets = LinksAndAssets().Matches(html).Select(m => m.Groups["target"].Value).Distinct().ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Superset(new HashSet<string> { "/order", "/promo", "/lookup", "/css/site.css", "/favicon.svg" }, targets.ToHashSet());
        foreach (var target in targets)
        {
            using var linked = await graph.Frontend.GetAsync(target).WaitAsync(Timeout);
            Assert.True(linked.StatusCode == HttpStatusCode.OK, $"{target} answered {(int)linked.StatusCode}");
            Assert.NotEmpty(await linked.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>The site's own links and files (href and src starting with one slash).</summary>
    [GeneratedRegex(@"(?:href|src)=""(?<target>/[^/""][^""]*|/)""")]
    private static partial Regex LinksAndAssets();

    [Fact]
    public async Task Frontend_forwards_api_requests_to_the_api()
    {
        var ping = await graph.Frontend.GetFromJsonAsync<JsonElement>("/api/ping").WaitAsync(Timeout);

        Assert.Equal("eventbooking-api", ping.GetProperty("service").GetString());
    }
}
