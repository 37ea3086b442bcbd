using EventBooking.ApiService.Data;
using EventBooking.ApiService.Messaging;
using EventBooking.ApiService.Promo;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Backups;

/// <summary>
/// After a restore (the app host's restore marker, <c>Restore:MarkerFile</c>, names the backup): the broker's queues
/// are gone and the notifier's copy is a moment older than this one, so every sign-up that went to the notifier goes
/// again, with the final status it was told if any. The notifier answers repeats from its decisions, records what it
/// lost as told, and decides the rest in arrival order. Then the marker goes: the next start is an ordinary one.
/// </summary>
internal sealed class RestoreReconciliation(
    IServiceScopeFactory scopes, OutboxSignal outbox, IConfiguration configuration, ILogger<RestoreReconciliation> logger) : IHostedService
{
    private const int PerTransaction = 2_000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration["Restore:MarkerFile"] is not { Length: > 0 } marker || !File.Exists(marker))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        long after = 0;
        var sent = 0;
        while (true)
        {
            var released = await db.PromoRegistrations.AsNoTracking()
                .Where(r => r.ReleasedAt != null && r.Sequence > after)
                .OrderBy(r => r.Sequence)
                .Take(PerTransaction)
                .ToListAsync(cancellationToken);
            if (released.Count == 0)
            {
                break;
            }

            db.Outbox.AddRange(released.Select(r => PromoOutbox.Requested(r, unconfirmed: r.ConfirmBy != null && r.ConfirmedAt == null)));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            after = released[^1].Sequence;
            sent += released.Count;
        }

        outbox.Notify();
        File.Delete(marker);
        logger.LogWarning("Restored from a backup ({Marker}): {Count} promo sign-up(s) went to the notifier again, to reconcile its decisions with this database's",
            marker, sent);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
