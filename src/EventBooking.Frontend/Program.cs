using EventBooking.Frontend.Security;
using Microsoft.AspNetCore.Rewrite;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

app.UseSecurityHeaders();

// The API refuses big bodies itself, but a refusal in mid-upload reaches the browser as a proxy error (502):
// answering 413 here, before forwarding anything, gives the client the real reason. 64 KB is the API's largest limit.
const long maxForwardedBody = 64 * 1024;
app.UseWhen(context => context.Request.ContentLength > maxForwardedBody, tooLarge => tooLarge.Run(context =>
    TypedResults.Problem(
        title: "Content Too Large",
        detail: $"The request body is larger than this site accepts ({maxForwardedBody / 1024} KB).",
        statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context)));

// Clean page URLs (/order, /promo, ...) served from plain .html files.
app.UseRewriter(new RewriteOptions().AddRewrite(@"^(order|promo|lookup|admin)/?$", "$1.html", skipRemainingRules: true));
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapReverseProxy();
app.MapDefaultEndpoints();

app.Run();
