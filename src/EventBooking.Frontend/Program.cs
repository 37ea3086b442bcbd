using EventBooking.Frontend.Security;
using Microsoft.AspNetCore.Rewrite;
using Yarp.ReverseProxy.Transforms;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
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

var app = builder.Build();

app.UseSecurityHeaders();

app.UseBodySizeLimit();

// Clean page URLs (/order, /promo, ...) served from plain .html files.
app.UseRewriter(new RewriteOptions().AddRewrite(@"^(order|promo|lookup|admin)/?$", "$1.html", skipRemainingRules: true));
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapReverseProxy();
app.MapDefaultEndpoints();

app.Run();
