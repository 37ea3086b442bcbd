using EventBooking.ApiService.Data;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Orders;

/// <summary>The order a submission ended up with: its own (Created) or the one its Idempotency-Key already had.</summary>
public sealed record StoredOrder(Order Order, bool Created);

/// <summary>
/// The one writer of new orders: each group of concurrent submissions is stored in one transaction. A repeated
/// Idempotency-Key (stored earlier, or earlier in the same group) gets the order that holds it, never a second one.
/// </summary>
public sealed class OrderWriter(IServiceScopeFactory scopes, ILogger<OrderWriter> logger)
    : GroupCommitWriter<Order, StoredOrder>(scopes, logger)
{
    protected override async Task<IReadOnlyList<StoredOrder>> StoreGroupAsync(
        EventBookingDbContext db, IReadOnlyList<GroupItem<Order>> group, CancellationToken cancellationToken)
    {
        var keys = group.Select(g => g.Item.IdempotencyKey).OfType<string>().Distinct().ToList();
        var holders = keys.Count == 0
            ? []
            : await db.Orders.AsNoTracking().Where(o => keys.Contains(o.IdempotencyKey!)).ToDictionaryAsync(o => o.IdempotencyKey!, cancellationToken);

        var results = new List<StoredOrder>(group.Count);
        foreach (var order in group.Select(g => g.Item))
        {
            if (order.IdempotencyKey is { } key && !holders.TryAdd(key, order))
            {
                results.Add(new StoredOrder(holders[key], false));
                continue;
            }

            db.Orders.Add(order);
            results.Add(new StoredOrder(order, true));
        }

        await db.SaveChangesAsync(cancellationToken);
        return results;
    }
}
