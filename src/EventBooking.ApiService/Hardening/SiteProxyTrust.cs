using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.HttpOverrides;

namespace EventBooking.ApiService.Hardening;

/// <summary>
/// X-Forwarded-* are believed only from the site's own proxy, which proves itself with a shared key the app host
/// generates (<c>SiteProxy:Key</c>). Any other caller, local or not, is the client it appears to be: it cannot choose
/// its own rate-limit bucket or socket allowance by sending a forged X-Forwarded-For.
/// </summary>
public static class SiteProxyTrust
{
    public const string KeyHeader = "X-EventBooking-Proxy-Key";
    public const string KeySetting = "SiteProxy:Key";

    public static IApplicationBuilder UseForwardedHeadersFromSiteProxy(this WebApplication app)
    {
        var key = app.Configuration[KeySetting] is { Length: > 0 } configured ? Encoding.UTF8.GetBytes(configured) : null;
        if (key is null)
        {
            app.Logger.LogWarning("{Setting} is not set: forwarded headers are ignored and every client is seen as the proxy.", KeySetting);
            return app;
        }

        // The proxy replaces (never appends to) X-Forwarded-For, so its one value is the client; the key is the trust.
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();

        return app.UseWhen(context => IsSiteProxy(context, key), proxied => proxied.UseForwardedHeaders(options));
    }

    private static bool IsSiteProxy(HttpContext context, byte[] key) =>
        context.Request.Headers[KeyHeader] is [{ } sent] && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), key);
}
