using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using EventBooking.FastTests.Infrastructure;

namespace EventBooking.FastTests.Site;

/// <summary>The site run from the build in Production, as the bench and an operator's <c>--EventBooking:ServiceEnvironment=Production</c> run it.</summary>
public sealed class ProductionSite : SiteFactory
{
    protected override string Environment => "Production";
}

public sealed partial class ProductionSiteTests(ProductionSite site) : IClassFixture<ProductionSite>
{
    [Fact]
    public async Task A_page_in_production_names_its_real_scripts_and_gets_them_cached_for_good_and_its_styles_whole()
    {
        using var client = site.Client(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        var page = await client.GetStringAsync("/promo");
        var script = ModuleScript().Match(page).Groups["src"].Value;

        using var scriptAnswer = await GetGzippedAsync(client, "/" + script);
        var styles = await ReadGzippedAsync(await GetGzippedAsync(client, "/css/site.css"));

        Assert.DoesNotContain("#[", page);
        Assert.NotEqual("", script);
        Assert.Equal(HttpStatusCode.OK, scriptAnswer.StatusCode);
        Assert.Contains("immutable", scriptAnswer.Headers.CacheControl?.ToString());
        Assert.Contains("import", await ReadGzippedAsync(scriptAnswer));
        Assert.StartsWith(":root {", styles);
        Assert.Contains(".card", styles);
    }

    [Theory]
    [InlineData("/css/site.css")]
    [InlineData("/promo")]
    public async Task A_returning_browser_is_told_its_compressed_copy_is_still_good_without_the_file_again(string path)
    {
        using var client = site.Client(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });
        using var first = await GetGzippedAsync(client, path);

        using var again = await GetGzippedAsync(client, path, first.Headers.ETag, HttpStatusCode.NotModified);

        Assert.NotNull(first.Headers.ETag);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
    }

    private static async Task<HttpResponseMessage> GetGzippedAsync(
        HttpClient client, string path, EntityTagHeaderValue? copy = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        if (copy is not null)
        {
            request.Headers.IfNoneMatch.Add(copy);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return response;
    }

    private static async Task<string> ReadGzippedAsync(HttpResponseMessage response)
    {
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var body = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(body);
        return await reader.ReadToEndAsync();
    }

    [GeneratedRegex("""<script type="module" src="/?(?<src>js/promo[^"]*\.js)""")]
    private static partial Regex ModuleScript();
}
