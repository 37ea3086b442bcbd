using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventBooking.Messaging;

public static class PromoMessaging
{
    /// <summary>
    /// What both sides of the promo conversation need: the promotion's settings and the broker connection. The
    /// broker's state shows in /health through the loops that use it; the integration's own check is off because,
    /// with no broker, it blocks /health while the connection is tried, and each resolution makes one attempt because
    /// the loops retry with pauses of their own. RabbitMQ.Client's own spans are off: the services start a span of
    /// their own for each publish and each message they process, in the flow's trace, and the library's doubled them
    /// (and wrote its traceparent over theirs).
    /// </summary>
    public static IHostApplicationBuilder AddPromoMessaging(this IHostApplicationBuilder builder)
    {
        builder.AddRabbitMQClient("messaging", settings =>
        {
            settings.DisableHealthChecks = true;
            settings.DisableTracing = true;
            settings.MaxConnectRetryCount = 0;
        });
        builder.Services.AddOptions<PromotionOptions>()
            .BindConfiguration(PromotionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}
