using EventBooking.Data;
using EventBooking.Mail;
using EventBooking.Messaging;
using EventBooking.Notifier.Data;
using EventBooking.Notifier.Promo;

namespace EventBooking.Notifier.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddDatabase<NotifierDbContext, PostgresNotifierDbContext>("notifier");
        builder.AddMailOutbox<NotifierDbContext>();
        builder.Services.AddSingleton<PromoMails>();
        builder.Services.AddSingleton<IMailOutcomeObserver, CodeMailOutcome>();
        builder.AddPromoMessaging();
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
