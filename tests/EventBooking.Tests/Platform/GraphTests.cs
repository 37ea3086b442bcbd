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
        Assert.Equal("running: admin feed relay, confirmation deadlines, mail sender, manager mail, outbox relay, promo status consumer, queue positions",
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
        Assert.Superset(new HashSet<string> { "/order", "/promo", "/lookup" }, targets.ToHashSet());
        foreach (var target in targets)
        {
            using var linked = await graph.Frontend.GetAsync(new Uri(graph.Frontend.BaseAddress!, target)).WaitAsync(Timeout);
            Assert.True(linked.StatusCode == HttpStatusCode.OK, $"{target} answered {(int)linked.StatusCode}");
            Assert.NotEmpty(await linked.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>The site's own links and files: href and src that are not a fragment or another site.</summary>
    [GeneratedRegex(@"(?:href|src)=""(?<target>(?!#|[a-z]+:|//)[^""]+)""")]
    private static partial Regex LinksAndAssets();

    [Fact]
    public async Task A_pages_scripts_go_out_under_fingerprinted_names_compressed_and_with_an_etag()
    {
        var html = await graph.Frontend.GetStringAsync("/admin").WaitAsync(Timeout);
        var scripts = Scripts().Matches(html).Select(m => m.Groups["src"].Value).ToList();

        Assert.Equal(2, scripts.Count(script => Fingerprinted().IsMatch(script))); // the page's module and Chart.js (210 KB)
        foreach (var script in scripts)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(graph.Frontend.BaseAddress!, script));
            request.Headers.AcceptEncoding.ParseAdd("gzip");
            using var response = await graph.Frontend.SendAsync(request).WaitAsync(Timeout);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
            // Cached for a year (immutable) outside Development; here, where files change as you edit, revalidated by ETag.
            Assert.NotNull(response.Headers.ETag);
        }
    }

    [GeneratedRegex(@"<script[^>]* src=""(?<src>[^""]+)""")]
    private static partial Regex Scripts();

    /// <summary>A file name with the build's fingerprint in it, e.g. js/admin.k3l8sq4c2d.js.</summary>
    [GeneratedRegex(@"\.[a-z0-9]{8,}\.js$")]
    private static partial Regex Fingerprinted();

    [Fact]
    public async Task Frontend_forwards_api_requests_to_the_api()
    {
        var ping = await graph.Frontend.GetFromJsonAsync<JsonElement>("/api/ping").WaitAsync(Timeout);

        Assert.Equal("eventbooking-api", ping.GetProperty("service").GetString());
    }
}
