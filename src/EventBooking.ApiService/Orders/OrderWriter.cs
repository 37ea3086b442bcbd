using EventBooking.ApiService.Data;
using EventBooking.Mail;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace EventBooking.ApiService.Orders;

/// <summary>A submission to store, with the confirmation mail that goes out if it becomes a new order.</summary>
public sealed record NewOrder(Order Order, MimeMessage Confirmation);

/// <summary>The order a submission ended up with: its own (Created) or the one its Idempotency-Key already had.</summary>
public sealed record StoredOrder(Order Order, bool Created);

/// <summary>
/// The one writer of new orders: each group of concurrent submissions is stored in one transaction. A repeated
/// Idempotency-Key (stored earlier, or earlier in the same group) gets the order that holds it, never a second one.
/// A new order's confirmation mail is queued in the same transaction: stored orders are mailed, once.
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

        var results = new List<StoredOrder>(group.Count);
        foreach (var (order, confirmation) in group.Select(g => g.Item))
        {
            if (order.IdempotencyKey is { } key && !holders.TryAdd(key, order))
            {
                results.Add(new StoredOrder(holders[key], false));
                continue;
            }

            db.Orders.Add(order);
            db.QueueMail(confirmation, OrderMails.ReceivedKind, order.CreatedAt);
            results.Add(new StoredOrder(order, true));
        }

        await db.SaveChangesAsync(cancellationToken);
        return results;
    }
}
