extern alias frontend;
using EventBooking.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace EventBooking.FastTests.Infrastructure;

/// <summary>
/// The site (static pages and the proxy) on a real Kestrel, its proxy pointed at a port where no API listens: what the
/// site itself answers (pages, headers, the body limit) is tested in milliseconds, without a graph.
/// </summary>
public class SiteFactory : KestrelFactory<frontend::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As run from the build: pages and their compressed copies come from the build's static asset manifest.
        builder.UseEnvironment(Environment);
        var noApi = $"http://127.0.0.1:{Ports.Free()}";
        builder.UseSetting("ReverseProxy:Clusters:api:Destinations:api:Address", noApi);
        builder.UseSetting("ReverseProxy:Clusters:api-sockets:Destinations:api:Address", noApi);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>The environment the site runs in (as <c>./run.sh</c> starts it unless told otherwise).</summary>
    protected virtual string Environment => "Development";

    /// <summary>Settings of a test's own, over the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>A client of the started site.</summary>
    public HttpClient Client(HttpMessageHandler? handler = null)
    {
        return new HttpClient(handler ?? new HttpClientHandler()) { BaseAddress = Address };
    }
}
