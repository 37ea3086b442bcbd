using System.Text.Json;
using EventBooking.FastTests.Infrastructure;

namespace EventBooking.FastTests.Site;

/// <summary>What the site answers itself, before anything reaches the API.</summary>
public sealed class SiteTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    [Theory]
    [InlineData("/", HttpStatusCode.OK)]
    [InlineData("/order", HttpStatusCode.OK)]
    [InlineData("/promo", HttpStatusCode.OK)]
    [InlineData("/admin", HttpStatusCode.OK)]
    [InlineData("/api/promo", HttpStatusCode.BadGateway)] // a proxied answer: the API is away here, the headers still go out
    public async Task Every_answer_of_the_site_carries_the_browser_hardening_headers(string path, HttpStatusCode expected)
    {
        using var client = site.Client();
        using var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task A_10_MB_body_sent_chunked_without_a_length_is_refused_by_the_site_with_a_413_problem_before_the_api()
    {
        using var client = site.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = new StreamContent(new MemoryStream(new byte[10 * 1024 * 1024])),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        // Not 502: the API (away here) was never asked.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("64 KB", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_page_names_its_scripts_by_fingerprint_and_they_are_served_compressed()
    {
        using var client = site.Client(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        var page = await client.GetStringAsync("/promo");
        var script = System.Text.RegularExpressions.Regex.Match(page, @"src=""(?<src>/?js/promo\.[a-z0-9]+\.js)""").Groups["src"].Value;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/" + script.TrimStart('/'));
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await client.SendAsync(request);

        Assert.NotEqual("", script);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
    }
}
