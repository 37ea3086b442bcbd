using EventBooking.Data;
using EventBooking.Notifier.Data;
using EventBooking.Notifier.Promo;

namespace EventBooking.Notifier.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSqliteStore<NotifierDbContext>("notifier");
        // The broker's state shows in /health through the promo consumer's loop; the integration's own check is off
        // because, with no broker, it blocks /health while the connection is tried.
        builder.AddRabbitMQClient("messaging", settings =>
        {
            settings.DisableHealthChecks = true;
            // One attempt per resolution: the loops retry with their own pauses instead of blocking inside DI.
            settings.MaxConnectRetryCount = 0;
        });

        builder.Services.AddOptions<PromotionOptions>()
            .BindConfiguration(PromotionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ProcessingOptions>()
            .BindConfiguration(ProcessingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NotifierMetrics>();
        builder.Services.AddSingleton<DecisionStore>();
        builder.Services.AddHostedService<PromoConsumer>();

        return builder;
    }
}
