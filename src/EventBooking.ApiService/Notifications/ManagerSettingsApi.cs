using System.Security.Claims;
using EventBooking.ApiService.Auth;
using EventBooking.ApiService.Data;
using EventBooking.Data;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Notifications;

/// <summary>What the signed-in manager sees of their own: their mail switch and how many requests are new to them.</summary>
public sealed record ManagerSettingsDto(string Email, bool MailOnNewRequests, int NewSinceLastLook, DateTime? LastLookedAt);

public sealed record UpdateManagerSettingsRequest(bool MailOnNewRequests);

public static class ManagerSettingsApi
{
    public static IEndpointRouteBuilder MapManagerSettingsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/me")
            .WithTags("Admin")
            .RequireAuthorization(AdminOptions.ManagerPolicy);

        group.MapGet("/", GetAsync).WithName("AdminGetMySettings")
            .WithSummary("The signed-in manager's settings and how many requests arrived since they last looked.");
        group.MapPut("/", UpdateAsync).WithName("AdminUpdateMySettings")
            .WithSummary("Switch the mail about new requests on or off, for this manager only.");
        group.MapPost("/looked", LookedAsync).WithName("AdminLookedAtRequests")
            .WithSummary("The manager has seen the requests list: the count of new ones starts again from now.");

        return routes;
    }

    public static async Task<Results<Ok<ManagerSettingsDto>, UnauthorizedHttpResult>> GetAsync(
        ClaimsPrincipal manager, EventBookingDbContext db, CancellationToken cancellationToken)
    {
        var settings = await SettingsOfAsync(manager, db, cancellationToken);
        return settings is null ? TypedResults.Unauthorized() : TypedResults.Ok(await ToDtoAsync(manager, settings, db, cancellationToken));
    }

    public static async Task<Results<Ok<ManagerSettingsDto>, UnauthorizedHttpResult>> UpdateAsync(
        UpdateManagerSettingsRequest request, ClaimsPrincipal manager, EventBookingDbContext db, CancellationToken cancellationToken)
    {
        var settings = await ChangeAsync(manager, db, s => s.MailOnNewRequests = request.MailOnNewRequests, cancellationToken);
        return settings is null ? TypedResults.Unauthorized() : TypedResults.Ok(await ToDtoAsync(manager, settings, db, cancellationToken));
    }

    public static async Task<Results<Ok<ManagerSettingsDto>, UnauthorizedHttpResult>> LookedAsync(
        ClaimsPrincipal manager, EventBookingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var settings = await ChangeAsync(manager, db, s => s.LastLookedAt = now, cancellationToken);
        return settings is null ? TypedResults.Unauthorized() : TypedResults.Ok(await ToDtoAsync(manager, settings, db, cancellationToken));
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the manager's settings and saves it. Two first changes at once (two tabs)
    /// both try to create the row: the loser applies its change to the row the winner made.
    /// </summary>
    private static async Task<ManagerSettings?> ChangeAsync(
        ClaimsPrincipal manager, EventBookingDbContext db, Action<ManagerSettings> change, CancellationToken cancellationToken)
    {
        var settings = await SettingsOfAsync(manager, db, cancellationToken);
        if (settings is null)
        {
            return null;
        }

        change(settings);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException race) when (race.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            settings = await db.ManagerSettings.SingleAsync(s => s.UserId == settings.UserId, cancellationToken);
            change(settings);
            await db.SaveChangesAsync(cancellationToken);
        }

        return settings;
    }

    /// <summary>The manager's settings row, made on first use (tracked, so a change is saved); null without a user id.</summary>
    private static async Task<ManagerSettings?> SettingsOfAsync(ClaimsPrincipal manager, EventBookingDbContext db, CancellationToken cancellationToken)
    {
        if (manager.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return null;
        }

        var settings = await db.ManagerSettings.SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (settings is null)
        {
            settings = new ManagerSettings { UserId = userId };
            db.ManagerSettings.Add(settings);
        }

        return settings;
    }

    private static async Task<ManagerSettingsDto> ToDtoAsync(
        ClaimsPrincipal manager, ManagerSettings settings, EventBookingDbContext db, CancellationToken cancellationToken)
    {
        var since = settings.LastLookedAt;
        var newCount = await db.Orders.CountAsync(o => since == null || o.CreatedAt > since, cancellationToken);
        return new ManagerSettingsDto(manager.Identity?.Name ?? "", settings.MailOnNewRequests, newCount, since);
    }
}
