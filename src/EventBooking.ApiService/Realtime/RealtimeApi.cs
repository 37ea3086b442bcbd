using System.Net.WebSockets;
using System.Text.Json;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Promo;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Realtime;

public static class RealtimeApi
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapRealtimeApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/ws").WithTags("Realtime");

        group.MapGet("/promo/{id}", WatchPromoRegistrationAsync)
            .WithName("WatchPromoRegistration")
            .WithSummary("WebSocket: the registration's status at once, then every change; closed normally after the final one.");

        group.MapGet("/admin", WatchAdminFeedAsync)
            .RequireAuthorization(Admin.AdminOptions.ManagerPolicy)
            .WithName("WatchAdminFeed")
            .WithSummary("WebSocket for signed-in managers: new orders and promo decisions as they happen.");

        return routes;
    }

    public static async Task<Results<EmptyHttpResult, NotFound, ProblemHttpResult>> WatchPromoRegistrationAsync(
        string id,
        HttpContext context,
        EventBookingDbContext db,
        PromoStatusHub hub,
        PromoMetrics metrics,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var registration = await db.PromoRegistrations.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (registration is null)
        {
            return TypedResults.NotFound();
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(
                detail: "Open this address as a WebSocket; GET /api/promo/registrations/{id} gives the status once.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        // Watch first, then read: a status that lands in between is then seen twice (harmless), never missed.
        using var watcher = hub.Watch(registration.Id, registration.Sequence);
        registration = await db.PromoRegistrations.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
        var position = registration.Status == EventBooking.Messaging.PromoStatus.Queued
            ? await PromoQueries.PositionAsync(db, registration.Sequence, cancellationToken)
            : (int?)null;
        watcher.Offer(registration.ToDocument(position, position is { } p && hub.SecondsPerDecision is { } pace ? Math.Round((p + 1) * pace, 1) : null));

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = DrainClientAsync(socket, closed);

        try
        {
            await foreach (var status in watcher.Updates.ReadAllAsync(closed.Token))
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(status, json.Value.SerializerOptions);
                await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, closed.Token);
                metrics.StatusPushed();
                if (status.IsFinal)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "final status", closed.Token);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away or the server is stopping: nothing to deliver to any more.
        }

        closed.CancelAfter(CloseHandshakeTimeout);
        await receiving;
        return TypedResults.Empty;
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> WatchAdminFeedAsync(
        HttpContext context, AdminFeed feed, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(detail: "Open this address as a WebSocket.", statusCode: StatusCodes.Status400BadRequest);
        }

        var events = feed.Subscribe();
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var closed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var receiving = DrainClientAsync(socket, closed);
            try
            {
                await foreach (var item in events.Reader.ReadAllAsync(closed.Token))
                {
                    var payload = JsonSerializer.SerializeToUtf8Bytes(item, json.Value.SerializerOptions);
                    await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, closed.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                // The page was closed or the server is stopping.
            }

            closed.CancelAfter(CloseHandshakeTimeout);
            await receiving;
        }
        finally
        {
            feed.Unsubscribe(events);
        }

        return TypedResults.Empty;
    }

    /// <summary>Reads (and ignores) what the client sends, so its close is noticed; cancels the sender when it goes.</summary>
    private static async Task DrainClientAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Client vanished without a close frame, or the close handshake timed out.
        }
        finally
        {
            await closed.CancelAsync();
        }
    }
}
