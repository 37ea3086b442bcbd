using EventBooking.ApiService.Data;
using EventBooking.Mail;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Orders;

/// <summary>What a status change can come to.</summary>
public abstract record StatusChangeOutcome
{
    public sealed record Changed(Order Order) : StatusChangeOutcome;

    public sealed record NotFound : StatusChangeOutcome;

    /// <summary>Someone saved first: the change was based on an older version.</summary>
    public sealed record Stale : StatusChangeOutcome;

    /// <summary>The workflow does not allow this move; <see cref="Allowed"/> are the moves it does.</summary>
    public sealed record NotAllowed(OrderStatus From, IReadOnlyList<OrderStatus> Allowed) : StatusChangeOutcome;
}

/// <summary>
/// A manager moves a request along its workflow (<see cref="OrderWorkflow"/>): the version check, the change, the
/// history row and the client's mail are one transaction, so none of them happens without the others.
/// </summary>
public sealed class OrderStatusChanges(EventBookingDbContext db, TimeProvider clock, OrderMails mails)
{
    public async Task<StatusChangeOutcome> ChangeAsync(
        Guid id, OrderStatus to, int version, string? note, string changedBy, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (order is null)
        {
            return new StatusChangeOutcome.NotFound();
        }

        if (order.Version != version)
        {
            return new StatusChangeOutcome.Stale();
        }

        if (!OrderWorkflow.Allows(order.Status, to))
        {
            return new StatusChangeOutcome.NotAllowed(order.Status, OrderWorkflow.NextFrom(order.Status));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The version check and the change are one statement: of two managers saving at once, one gets 0 rows.
        var changed = await db.Orders
            .Where(o => o.Id == id && o.Version == version)
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.Status, to)
                .SetProperty(o => o.Version, o => o.Version + 1)
                .SetProperty(o => o.UpdatedAt, now), cancellationToken);
        if (changed == 0)
        {
            return new StatusChangeOutcome.Stale();
        }

        db.OrderStatusChanges.Add(new OrderStatusChange
        {
            OrderId = id,
            From = order.Status,
            To = to,
            Note = HistoryNote(order, to, note),
            ChangedBy = changedBy,
            ChangedAt = now,
        });
        // The client hears of it in the same transaction: in the client's words, never the manager's note.
        order.Status = to;
        order.Version = version + 1;
        db.QueueMail(mails.StatusChanged(order), OrderMails.StatusChangedKind, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new StatusChangeOutcome.Changed(
            await db.Orders.AsNoTracking().Include(o => o.History).SingleAsync(o => o.Id == id, cancellationToken));
    }

    /// <summary>The manager's note, and, when this change frees the order's promo code, a line saying so.</summary>
    private static string? HistoryNote(Order order, OrderStatus to, string? note)
    {
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (!order.HoldsPromoCode || !Order.GivesCodeBack(to))
        {
            return note;
        }

        var freed = $"Promo code {order.PromoCode} given back to its owner: they can use it on another request.";
        return note is null ? freed : $"{note}\n{freed}";
    }
}
