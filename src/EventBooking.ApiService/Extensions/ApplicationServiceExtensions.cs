using System.Text.Json;
using System.Text.Json.Serialization;
using EventBooking.ApiService.Admin;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Hardening;
using EventBooking.ApiService.Messaging;
using EventBooking.ApiService.Promo;
using EventBooking.ApiService.Realtime;
using EventBooking.Data;

namespace EventBooking.ApiService.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.Customize);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
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

        builder.AddSqliteStore<EventBookingDbContext>("eventbooking");
        builder.AddAdmin();
        builder.AddHardening();

        // The connection and RabbitMQ.Client's tracing. The broker's state shows in /health through the loops that
        // use it (BrokerLoop: Degraded while it is away, since sign-ups wait in the outbox and orders do not need it);
        // the integration's own check is off because, with no broker, it blocks /health while the connection is tried.
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
        builder.Services.AddSingleton<PromoMetrics>();
        builder.Services.AddSingleton<PromoStatusHub>();
        builder.Services.AddSingleton<OrderEvents>();
        builder.Services.AddSingleton<AdminFeed>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<PromoSignUpWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PromoSignUpWriter>());
        builder.Services.AddSingleton<OrderWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OrderWriter>());
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHostedService<PromoStatusConsumer>();
        builder.Services.AddHostedService<QueuePositionNotifier>();

        return builder;
    }
}
