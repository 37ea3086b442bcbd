using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Hardening;

public static class HardeningExtensions
{
    public const string OrdersPolicy = "orders";
    public const string PromoSignUpsPolicy = "promo-sign-ups";
    public const string SignInPolicy = "sign-in";
    public const string LookupsPolicy = "lookups";

    /// <summary>Per-client rate limits and WebSocket limits (the client address: see <see cref="SiteProxyTrust"/>).</summary>
    public static IHostApplicationBuilder AddHardening(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<WebSocketLimitOptions>()
            .BindConfiguration(WebSocketLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<WebSocketGuard>();
        builder.Services.AddSingleton<Realtime.SocketServer>();

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.AddPolicy(OrdersPolicy, context => PerClient(context, limits.Orders));
            limiter.AddPolicy(PromoSignUpsPolicy, context => PerClient(context, limits.PromoSignUps));
            limiter.AddPolicy(SignInPolicy, context => PerClient(context, limits.SignIn));
            limiter.AddPolicy(LookupsPolicy, context => PerClient(context, limits.Lookups));
            limiter.OnRejected = RejectAsync;
        });

        return builder;
    }

    /// <summary>
    /// Who a client is to the per-client limits: its network, not its address. An IPv6 client counts by its /64
    /// (one subscriber's usual allocation, so a new address per request is no new client); IPv4 by its address.
    /// </summary>
    public static string ClientKey(this HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } v6 => NetworkOf(v6),
        var v4 => v4.ToString(),
    };

    private static string NetworkOf(System.Net.IPAddress v6)
    {
        Span<byte> bytes = stackalloc byte[16];
        v6.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new System.Net.IPAddress(bytes)}/64";
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, WindowLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(context.ClientKey(), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"Please wait {seconds} seconds and try again.",
            },
        });
    }
}
