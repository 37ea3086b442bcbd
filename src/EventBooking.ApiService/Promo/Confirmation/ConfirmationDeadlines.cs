using EventBooking.ApiService.Data;
using EventBooking.ApiService.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Promo.Confirmation;

/// <summary>
/// Lets the queue move past sign-ups nobody confirmed: once a sign-up's time to confirm is over (or the codes are
/// gone, when waiting longer is pointless), its request goes to the notifier marked unconfirmed, to end Expired (or
/// sold out) in its turn. Every replica runs this; a conditional update releases each sign-up once.
/// </summary>
internal sealed class ConfirmationDeadlines(
    IServiceScopeFactory scopes, OutboxSignal outbox, IssuedCodes issuedCodes, TimeProvider clock, LoopHealth health,
    ILogger<ConfirmationDeadlines> logger) : PeriodicLoop(clock, health, logger)
{
    private const int MaxPerPass = 500;

    protected override string Name => "confirmation deadlines";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task PassAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        var now = Clock.GetUtcNow().UtcDateTime;
        if (!await db.PromoRegistrations.AnyAsync(r => r.ReleasedAt == null, cancellationToken))
        {
            return;
        }

        var codesGone = await issuedCodes.AllIssuedAsync(db, cancellationToken);
        var due = await db.PromoRegistrations.AsNoTracking()
            .Where(r => r.ReleasedAt == null && (codesGone || r.ConfirmBy <= now))
            .OrderBy(r => r.Sequence)
            .Take(MaxPerPass)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var registration in due)
        {
            var released = await db.PromoRegistrations
                .Where(r => r.Sequence == registration.Sequence && r.ReleasedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.ReleasedAt, now).SetProperty(r => r.ConfirmTokenHash, (string?)null), cancellationToken);
            if (released == 1)
            {
                db.Outbox.Add(PromoOutbox.Requested(registration, unconfirmed: true));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        logger.LogInformation("Released {Count} unconfirmed promo sign-up(s) from #{First} ({Why})",
            due.Count, due[0].Sequence, codesGone ? "the codes are gone" : "their time to confirm is over");
    }
}
