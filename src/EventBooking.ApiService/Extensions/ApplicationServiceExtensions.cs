namespace EventBooking.ApiService.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();

        // Registers the connection, its health check (part of /health) and RabbitMQ.Client's tracing.
        builder.AddRabbitMQClient("messaging");

        return builder;
    }
}
