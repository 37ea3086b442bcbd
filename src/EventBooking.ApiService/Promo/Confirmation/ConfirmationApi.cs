using System.ComponentModel.DataAnnotations;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Hardening;
using EventBooking.ApiService.Messaging;
using EventBooking.ApiService.Realtime;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Promo.Confirmation;

public sealed record ConfirmRequest
{
    [Required(ErrorMessage = "The confirmation link is incomplete: open it again from the mail.")]
    [StringLength(64, ErrorMessage = "The confirmation link is not one of ours.")]
    public string? Token { get; init; }
}

/// <summary>
/// A confirmed address: the registration to follow, and the key that lets this page (opened from the mailbox) see
/// the code. The key is shown once and stored only as a hash.
/// </summary>
public sealed record ConfirmedSignUp(string RegistrationId, string MailboxKey, PromoStatusDocument Status);

public static class ConfirmationApi
{
    public static IEndpointRouteBuilder MapConfirmationApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/promo").WithTags("Promo")
            .MapPost("/confirmations", ConfirmAsync)
            .RequireRateLimiting(HardeningExtensions.LookupsPolicy)
            .WithName("ConfirmPromoAddress")
            .WithSummary("Confirms a sign-up's address with the token from its mail (once). The sign-up keeps the place it had from arrival.");
        return routes;
    }

    public static async Task<Results<Ok<ConfirmedSignUp>, ProblemHttpResult, ValidationProblem>> ConfirmAsync(
        ConfirmRequest request, EventBookingDbContext db, TimeProvider clock, OutboxSignal outbox, PromoStatusHub hub, CancellationToken cancellationToken)
    {
        var hash = ConfirmationSecrets.Hash(request.Token!);
        var now = clock.GetUtcNow().UtcDateTime;
        var registration = await db.PromoRegistrations.AsNoTracking().SingleOrDefaultAsync(r => r.ConfirmTokenHash == hash, cancellationToken);
        if (registration is null)
        {
            return NotValid();
        }

        if (registration.ConfirmBy <= now)
        {
            return TypedResults.Problem(
                title: "The time to confirm has passed.",
                detail: "This sign-up was not confirmed in time, so its place was given up. The promotion allows one place per person.",
                statusCode: StatusCodes.Status410Gone);
        }

        var (key, keyHash) = ConfirmationSecrets.New();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Whoever wins (this, a second click, or the deadline on another replica) releases the request once.
        var confirmed = await db.PromoRegistrations
            .Where(r => r.Sequence == registration.Sequence && r.ConfirmTokenHash == hash && r.ReleasedAt == null)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.ReleasedAt, now)
                .SetProperty(r => r.ConfirmedAt, now)
                .SetProperty(r => r.ConfirmTokenHash, (string?)null)
                .SetProperty(r => r.MailboxKeyHash, keyHash)
                .SetProperty(r => r.Status, PromoStatus.Queued)
                .SetProperty(r => r.Message, PromoMappings.ConfirmedMessage)
                .SetProperty(r => r.UpdatedAt, now), cancellationToken);
        if (confirmed == 0)
        {
            return NotValid();
        }

        db.Outbox.Add(PromoOutbox.Requested(registration, unconfirmed: false, System.Diagnostics.Activity.Current?.Id));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        hub.QueueChanged();

        var position = await PromoQueries.PositionAsync(db, registration.Sequence, cancellationToken);
        var status = registration.ToDocument(position, hub.EtaFor(position)) with
        {
            Status = PromoStatus.Queued,
            Message = PromoMappings.ConfirmedMessage,
            ConfirmBy = null,
            At = now,
        };
        hub.Publish(status); // the sign-up page, if it watches on this replica
        return TypedResults.Ok(new ConfirmedSignUp(registration.Id, key, status));
    }

    private static ProblemHttpResult NotValid() => TypedResults.Problem(
        title: "This confirmation link is not valid.",
        detail: "It may have been used already, or replaced by a newer one: open the latest mail we sent you.",
        statusCode: StatusCodes.Status404NotFound);
}
