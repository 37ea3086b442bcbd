using System.IO.Compression;
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

    private static async Task<HttpResponseMessage> GetGzippedAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
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
