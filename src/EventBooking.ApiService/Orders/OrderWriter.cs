using EventBooking.ApiService.Data;
using EventBooking.Data;
using EventBooking.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace EventBooking.ApiService.Orders;

/// <summary>A submission to store, with the confirmation mail that goes out if it becomes a new order.</summary>
public sealed record NewOrder(Order Order, MimeMessage Confirmation);

/// <summary>What became of a submission.</summary>
public enum OrderOutcome
{
    Created,

    /// <summary>Its Idempotency-Key already had an order (stored earlier, or earlier in the same group): that one.</summary>
    Repeat,

    /// <summary>Its promo code is held by a live order (stored earlier, or earlier in the same group): nothing stored.</summary>
    PromoCodeInUse,
}

/// <summary>The order a submission ended up with: its own, the one its Idempotency-Key already had, or none.</summary>
public sealed record StoredOrder(Order Order, OrderOutcome Outcome);

/// <summary>
/// The one writer of new orders: each group of concurrent submissions is stored in one transaction. A repeated
/// Idempotency-Key (stored earlier, or earlier in the same group) gets the order that holds it, never a second one;
/// a promo code goes to one live order only. A new order's confirmation mail is queued in the same transaction:
/// stored orders are mailed, once.
/// </summary>
public sealed class OrderWriter(IServiceScopeFactory scopes, ILogger<OrderWriter> logger)
    : GroupCommitWriter<NewOrder, StoredOrder>(scopes, logger)
{
    protected override async Task<IReadOnlyList<StoredOrder>> StoreGroupAsync(
        EventBookingDbContext db, IReadOnlyList<GroupItem<NewOrder>> group, CancellationToken cancellationToken)
    {
        var keys = group.Select(g => g.Item.Order.IdempotencyKey).OfType<string>().Distinct().ToList();
        var holders = keys.Count == 0
            ? []
            : await db.Orders.AsNoTracking().Where(o => keys.Contains(o.IdempotencyKey!)).ToDictionaryAsync(o => o.IdempotencyKey!, cancellationToken);
        var codesHeld = await CodesHeldAsync(db, group, cancellationToken);

        var results = new List<StoredOrder>(group.Count);
        foreach (var (order, confirmation) in group.Select(g => g.Item))
        {
            if (order.IdempotencyKey is { } key && holders.TryGetValue(key, out var holder))
            {
                results.Add(new StoredOrder(holder, OrderOutcome.Repeat));
                continue;
            }

            if (order.PromoCode is { } code && !codesHeld.Add(code))
            {
                results.Add(new StoredOrder(order, OrderOutcome.PromoCodeInUse));
                continue;
            }

            if (order.IdempotencyKey is { } newKey)
            {
                holders.Add(newKey, order);
            }

            db.Orders.Add(order);
            db.QueueMail(confirmation, OrderMails.ReceivedKind, order.CreatedAt);
            results.Add(new StoredOrder(order, OrderOutcome.Created));
        }

        await db.SaveChangesAsync(cancellationToken);
        return results;
    }

    /// <summary>
    /// Which of the group's promo codes a live order already holds. On PostgreSQL a lock held to the commit first
    /// makes the replicas' groups with codes take turns, so each sees what the other stored; the partial unique index
    /// on live orders' codes backs it up. Groups without a code (nearly all) take no lock.
    /// </summary>
    private static async Task<HashSet<string>> CodesHeldAsync(
        EventBookingDbContext db, IReadOnlyList<GroupItem<NewOrder>> group, CancellationToken cancellationToken)
    {
        var codes = group.Select(g => g.Item.Order.PromoCode).OfType<string>().Distinct().ToList();
        if (codes.Count == 0)
        {
            return [];
        }

        await db.Database.HoldUntilTransactionEndsAsync(AdvisoryLocks.PromoCodeRedemption, cancellationToken);

        var held = await db.Orders.AsNoTracking()
            .Where(o => codes.Contains(o.PromoCode!) && !Order.StatusesGivingCodeBack.Contains(o.Status))
            .Select(o => o.PromoCode!)
            .ToListAsync(cancellationToken);
        return [.. held];
    }
}
