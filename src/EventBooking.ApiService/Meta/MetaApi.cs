using System.Reflection;

namespace EventBooking.ApiService.Meta;

public static class MetaApi
{
    private static readonly string Version =
        typeof(MetaApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static IEndpointRouteBuilder MapMetaApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Meta");

        group.MapGet("/ping", GetPing)
            .WithName("Ping")
            .WithSummary("Answers when the API is up; used to check the frontend's proxy.");

        return routes;
    }

    public static Ok<PingResponse> GetPing(TimeProvider clock) =>
        TypedResults.Ok(new PingResponse("eventbooking-api", Version, clock.GetUtcNow()));
}

public sealed record PingResponse(string Service, string Version, DateTimeOffset At);
