namespace EventBooking.Tests.Platform;

[Collection(GraphCollection.Name)]
public sealed class SecurityHeaderTests(GraphFixture graph)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/order")]
    [InlineData("/admin")]
    [InlineData("/api/promo")]
    public async Task Every_answer_of_the_site_carries_the_browser_hardening_headers(string path)
    {
        using var response = await graph.Frontend.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_manager_session_cookie_is_http_only_and_same_site_strict()
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = graph.Frontend.BaseAddress };
        using var response = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = GraphFixture.ManagerEmail, password = GraphFixture.ManagerPassword });

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("eventbooking.admin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
