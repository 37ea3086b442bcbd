using System.Text.Json;
using EventBooking.ApiService.Auth;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Hardening;
using EventBooking.ApiService.Promo;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Realtime;

public static class RealtimeApi
{
    public static IEndpointRouteBuilder MapRealtimeApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/ws").WithTags("Realtime");

        group.MapGet("/promo/{id}", WatchPromoRegistrationAsync)
            .WithName("WatchPromoRegistration")
            .WithSummary("WebSocket: the registration's status at once, then every change; closed normally after the final one.");

        group.MapGet("/admin", WatchAdminFeedAsync)
            .RequireAuthorization(AdminOptions.ManagerPolicy)
            .WithName("WatchAdminFeed")
            .WithSummary("WebSocket for signed-in managers: new orders and promo decisions as they happen.");

        return routes;
    }

    public static async Task<IResult> WatchPromoRegistrationAsync(
        string id,
        HttpContext context,
        IServiceScopeFactory scopes,
        PromoStatusHub hub,
        PromoMetrics metrics,
        IOptions<PromotionOptions> promotion,
        WebSocketGuard guard,
        SocketServer server,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var registration = await ReadAsync(scopes, db => db.PromoRegistrations.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken));
        if (registration is null)
        {
            return TypedResults.NotFound();
        }

        if (guard.Refuse(context) is { } refused)
        {
            return refused;
        }

        // A decision pushed since the read is not lost: the hub remembers recent final statuses and Watch starts
        // from one (a step in between is superseded by it anyway), so one read is enough.
        using var watcher = hub.Watch(registration.Id, registration.Sequence);
        var position = registration.Status.IsWaiting()
            ? await ReadAsync(scopes, db => PromoQueries.PositionAsync(db, registration.Sequence, cancellationToken))
            : (int?)null;
        watcher.Offer(registration.ToDocument(position, hub.EtaFor(position)));
        // A browser cannot set headers on a WebSocket: the page from the mailbox sends its key in the query.
        var seesCode = PromoApi.SeesCode(registration, context.Request.Query["key"], promotion.Value);

        await server.ServeAsync(
            context,
            watcher.Updates,
            status => JsonSerializer.SerializeToUtf8Bytes(status.ForViewer(seesCode), json.Value.SerializerOptions),
            status => status.IsFinal,
            metrics.StatusPushed);
        return TypedResults.Empty;
    }

    /// <summary>
    /// Reads in a scope of its own rather than the request's: a status socket lives for minutes, and a pooled
    /// DbContext held for its whole life is memory per socket (and one context fewer in the pool) for nothing.
    /// </summary>
    private static async Task<T> ReadAsync<T>(IServiceScopeFactory scopes, Func<EventBookingDbContext, Task<T>> read)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<EventBookingDbContext>());
    }

    public static async Task<IResult> WatchAdminFeedAsync(
        HttpContext context, AdminFeed feed, WebSocketGuard guard, SocketServer server, ManagerSession session, IOptions<JsonOptions> json)
    {
        if (guard.Refuse(context) is { } refused)
        {
            return refused;
        }

        // Names and emails flow here: only while the manager's session lasts, and never past a sign-out.
        var sessionEnded = await session.WatchAsync(context, context.RequestAborted);
        var events = feed.Subscribe();
        try
        {
            await server.ServeAsync(
                context,
                events.Reader,
                item => JsonSerializer.SerializeToUtf8Bytes(item, json.Value.SerializerOptions),
                isFinal: _ => false,
                ended: sessionEnded);
        }
        finally
        {
            feed.Unsubscribe(events);
        }

        return TypedResults.Empty;
    }
}
