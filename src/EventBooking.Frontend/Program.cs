using EventBooking.Frontend.Security;
using Microsoft.AspNetCore.Rewrite;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

app.UseSecurityHeaders();

// Clean page URLs (/order, /promo, ...) served from plain .html files.
app.UseRewriter(new RewriteOptions().AddRewrite(@"^(order|promo|lookup|admin)/?$", "$1.html", skipRemainingRules: true));
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapReverseProxy();
app.MapDefaultEndpoints();

app.Run();
