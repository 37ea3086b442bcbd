using System.Text.Json;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Messaging;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Promo;

/// <summary>
/// The registration a sign-up ended up with: its own (Created, with its queue position at that moment) or the one
/// its email already had.
/// </summary>
public sealed record StoredSignUp(PromoRegistration Registration, bool Created, int? Position);

/// <summary>
/// The one writer of promo sign-ups: each group of concurrent sign-ups is stored with its outbox messages in one
/// transaction. Arrival order is kept: sequence numbers follow the order the requests were queued.
/// </summary>
public sealed class PromoSignUpWriter(
    IServiceScopeFactory scopes, OutboxSignal outbox, PromoMetrics metrics, ILogger<PromoSignUpWriter> logger)
    : GroupCommitWriter<PromoRegistration, StoredSignUp>(scopes, logger)
{
    protected override async Task<IReadOnlyList<StoredSignUp>> StoreGroupAsync(
        EventBookingDbContext db, IReadOnlyList<GroupItem<PromoRegistration>> group, CancellationToken cancellationToken)
    {
        // An email that already has a registration (stored earlier, or earlier in this very group) gets that one.
        var emails = group.Select(g => g.Item.EmailNormalized).Distinct().ToList();
        var existing = await db.PromoRegistrations.AsNoTracking()
            .Where(r => emails.Contains(r.EmailNormalized))
            .ToDictionaryAsync(r => r.EmailNormalized, cancellationToken);
        var created = new List<GroupItem<PromoRegistration>>();
        var next = await NextSequenceAsync(db, cancellationToken);
        foreach (var signUp in group)
        {
            if (existing.TryAdd(signUp.Item.EmailNormalized, signUp.Item))
            {
                if (next is { } sequence)
                {
                    signUp.Item.Sequence = sequence;
                    next = sequence + 1;
                }

                db.PromoRegistrations.Add(signUp.Item);
                created.Add(signUp);
            }
        }

        // Sequences come from the inserts (or the lock above), in the order the requests were queued.
        await db.SaveChangesAsync(cancellationToken);

        foreach (var signUp in created)
        {
            var registration = signUp.Item;
            var message = new PromoRequested(registration.Id, registration.Sequence, registration.Email, registration.Name, registration.CreatedAt);
            db.Outbox.Add(new OutboxMessage
            {
                Type = PromoRequested.ContractType,
                MessageId = registration.Id,
                Payload = JsonSerializer.Serialize(message, PromoJson.Options),
                TraceParent = signUp.TraceParent,
                CreatedAt = registration.CreatedAt,
            });
        }

        await db.SaveChangesAsync(cancellationToken);

        // The group's sequences are consecutive (one writer), so one count gives every new sign-up its position.
        var ahead = created.Count == 0 ? 0 : await PromoQueries.PositionAsync(db, created[0].Item.Sequence, cancellationToken);
        var positions = created.Select((signUp, index) => (signUp, index)).ToDictionary(p => p.signUp, p => ahead + p.index);
        return group
            .Select(signUp => positions.TryGetValue(signUp, out var position)
                ? new StoredSignUp(signUp.Item, true, position)
                : new StoredSignUp(existing[signUp.Item.EmailNormalized], false, null))
            .ToList();
    }

    /// <summary>
    /// On PostgreSQL, where several API replicas write: one arrival order for all of them, gap-free. A lock held to
    /// the commit makes the groups of all replicas take turns; each continues after the highest stored sequence.
    /// SQLite (one writer per file) numbers the rows itself: null.
    /// </summary>
    private static async Task<long?> NextSequenceAsync(EventBookingDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return null;
        }

        await db.Database.ExecuteSqlRawAsync(TakeSequenceLock, cancellationToken);
        return (await db.PromoRegistrations.MaxAsync(r => (long?)r.Sequence, cancellationToken) ?? 0) + 1;
    }

    // Released by the commit (or rollback); the number is any the other locks do not use.
    private const string TakeSequenceLock = "SELECT pg_advisory_xact_lock(4542001)";

    protected override void OnCommitted(int groupSize)
    {
        outbox.Notify();
        metrics.SignUpGroupCommitted(groupSize);
    }
}
