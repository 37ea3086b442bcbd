using EventBooking.Frontend.Security;
using Microsoft.AspNetCore.Rewrite;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

// Run from the build (./run.sh), the site's files are where the build left them: the sources, and their compressed
// and fingerprinted copies under obj/. Only Development maps them by default; without the map, a Production site sent
// empty styles and pages naming scripts that do not exist. A published site has no map and its files beside it.
// Development alone also looks at every request for files changed since the build, and sends them uncached
// (ReloadStaticAssetsAtRuntime, appsettings.Development.json); elsewhere they go as built, with their caching headers.
builder.WebHost.UseStaticWebAssets();

// Load shedding at the edge: beyond these, new connections are closed at once. Unbounded, an open-loop 1,000
// orders/s held 10,000 requests in flight, each with a second socket to the API, until this process ran out of file
// descriptors and the runtime gave up ("Out of memory"). Status sockets (upgraded) are counted apart. Each counts
// twice (with its socket to the API): 3,500 × 2 + 6,000 × 2 stays under the 20,000 descriptors a process gets here.
// A browser loading a page holds up to six connections: 2,000 shut out the 334th person arriving at once.
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxConcurrentConnections = builder.Configuration.GetValue<long?>("Site:MaxConnections") ?? 3_500;
    kestrel.Limits.MaxConcurrentUpgradedConnections = builder.Configuration.GetValue<long?>("Site:MaxSockets") ?? 6_000;
    kestrel.LimitConnectionsPerClient(builder.Configuration.GetValue<int?>(ConnectionsPerClient.Setting) ?? ConnectionsPerClient.Default);
});
builder.WebHost.ProbeVanishedClients();
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddServiceDiscoveryDestinationResolver()
    // Proves to the API that X-Forwarded-For comes from this proxy (which sets it from the connection, never the client).
    .AddTransforms(transforms =>
    {
        if (builder.Configuration["SiteProxy:Key"] is { Length: > 0 } key)
        {
            transforms.AddRequestHeader("X-EventBooking-Proxy-Key", key, append: false);
        }
    });

builder.Services.AddOutputCache();

var app = builder.Build();

app.UseSecurityHeaders();

app.UseBodySizeLimit();

// Clean page URLs (/, /order, /promo, ...) served from plain .html files; routing runs after the rewrite. A page names
// its files relative to the site's root (so the build can fingerprint them), hence /order/ is sent to /order. (Not
// UseDefaultFiles: it asked the disk whether each request's path was a folder, the API's requests included.)
app.UseRewriter(new RewriteOptions()
    .AddRedirect(@"^(order|promo|lookup|admin)/$", "$1", StatusCodes.Status301MovedPermanently)
    .AddRewrite(@"^$", "index.html", skipRemainingRules: true)
    .AddRewrite(@"^(order|promo|lookup|admin)$", "$1.html", skipRemainingRules: true));
app.UseRouting();
app.UseOutputCache();

// The files as the build described them: compressed (gzip, and Brotli when published) and with ETags. Unless they
// are reloaded as they change (Development), each is read from the disk once and then sent from memory: a dozen
// system calls fewer per file, the biggest part of what a file cost this process.
var files = app.MapStaticAssets();
if (!app.Configuration.GetValue<bool>("ReloadStaticAssetsAtRuntime"))
{
    files.CacheOutput(file => file.SetVaryByHeader(HeaderNames.AcceptEncoding).Expire(TimeSpan.FromDays(365)));
}

app.MapReverseProxy();
app.MapDefaultEndpoints();

app.Run();
