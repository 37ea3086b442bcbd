using System.Text.Json;
using System.Text.Json.Serialization;
using EventBooking.ApiService.Auth;
using EventBooking.ApiService.Backups;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Hardening;
using EventBooking.ApiService.Messaging;
using EventBooking.ApiService.Notifications;
using EventBooking.ApiService.Promo;
using EventBooking.ApiService.Promo.Confirmation;
using EventBooking.ApiService.Promo.ProofOfWork;
using EventBooking.ApiService.Promo.Throwaway;
using EventBooking.ApiService.Realtime;
using EventBooking.Data;
using EventBooking.Messaging;

namespace EventBooking.ApiService.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.Customize);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<StorageFailureExceptionHandler>();
        // Binding failures become exceptions so BadRequestExceptionHandler can explain them (the default is a bare 400).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddValidation();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
            // Deeply nested junk is refused early rather than walked.
            options.SerializerOptions.MaxDepth = 16;
        });

        builder.AddDatabase<EventBookingDbContext, PostgresEventBookingDbContext>("eventbooking");
        builder.Services.AddHostedService<RestoreReconciliation>();
        builder.AddMailOutbox<EventBookingDbContext>();
        builder.Services.AddSingleton<OrderMails>();
        builder.Services.AddSingleton<PromoMails>();
        builder.AddManagerSignIn();
        builder.AddHardening();

        // The broker and the promotion's settings (a broker outage is Degraded here: see BrokerLoop).
        builder.AddPromoMessaging();
        builder.Services.AddSingleton<PromoMetrics>();
        builder.Services.AddSingleton<PromoStatusHub>();
        builder.Services.AddSingleton<OrderEvents>();
        builder.Services.AddSingleton<AdminFeed>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton(_ => ThrowawayDomains.Vendored());
        builder.Services.AddOptions<ProofOfWorkOptions>().BindConfiguration(ProofOfWorkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SignUpChallenges>();
        builder.Services.AddSingleton<IssuedCodes>();
        builder.Services.AddSingleton<PromoSignUpWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PromoSignUpWriter>());
        builder.Services.AddSingleton<OrderWriter>();
        builder.Services.AddScoped<OrderStatusChanges>();
        builder.Services.AddSingleton<PromoRedemption>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OrderWriter>());
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHostedService<PromoStatusConsumer>();
        builder.Services.AddHostedService<QueuePositionNotifier>();
        builder.Services.AddHostedService<ConfirmationDeadlines>();
        builder.Services.AddHostedService<AdminFeedRelay>();

        // Managers hear of every new request by mail.
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ManagerMails>();
        builder.Services.AddSingleton<ManagerDigest>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ManagerDigest>());

        return builder;
    }
}
