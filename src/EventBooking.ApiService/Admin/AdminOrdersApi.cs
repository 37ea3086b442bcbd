using System.Security.Claims;
using EventBooking.ApiService.Auth;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Admin;

public static class AdminOrdersApi
{
    private const int DefaultPageSize = 25;
    private const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapAdminOrdersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin/orders")
            .WithTags("Admin")
            .RequireAuthorization(AdminOptions.ManagerPolicy);

        group.MapGet("/", ListOrdersAsync).WithName("AdminListOrders")
            .WithSummary("Search, filter, sort and page every event request.");
        group.MapGet("/export.csv", ExportCsv).WithName("AdminExportOrders")
            .WithSummary("The filtered requests as CSV (RFC 4180, UTF-8), streamed row by row.");
        group.MapGet("/{id:guid}", GetOrderAsync).WithName("AdminGetOrder")
            .WithSummary("One request with its status history and the statuses it may move to.");
        group.MapPatch("/{id:guid}", UpdateStatusAsync).WithName("AdminUpdateOrderStatus")
            .WithSummary("Move a request along the workflow; 409 if someone else changed it first.");

        return routes;
    }

    public static async Task<Ok<PagedList<AdminOrderSummary>>> ListOrdersAsync(
        [AsParameters] OrderListQuery query, EventBookingDbContext db, CancellationToken cancellationToken)
    {
        var filtered = Filter(db.Orders.AsNoTracking(), query);
        var page = query.Page ?? 1;
        var pageSize = Math.Min(query.PageSize ?? DefaultPageSize, MaxPageSize);

        var total = await filtered.CountAsync(cancellationToken);
        var items = await Sort(filtered, query)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new PagedList<AdminOrderSummary>([.. items.Select(o => o.ToSummary())], total, page, pageSize));
    }

    public static async Task<Results<Ok<AdminOrderDetail>, NotFound>> GetOrderAsync(
        Guid id, EventBookingDbContext db, IOptions<PromotionOptions> promotion, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.History).SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        return order is null ? TypedResults.NotFound() : TypedResults.Ok(order.ToDetail(promotion.Value.Benefit));
    }

    public static async Task<Results<Ok<AdminOrderDetail>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateStatusAsync(
        Guid id, UpdateOrderStatusRequest request, ClaimsPrincipal manager, OrderStatusChanges changes, IOptions<PromotionOptions> promotion,
        CancellationToken cancellationToken)
    {
        var to = WireEnum<OrderStatus>.Parse(request.Status!);
        return await changes.ChangeAsync(id, to, request.Version!.Value, request.Note, manager.Identity?.Name ?? "unknown", cancellationToken) switch
        {
            StatusChangeOutcome.Changed changed => TypedResults.Ok(changed.Order.ToDetail(promotion.Value.Benefit)),
            StatusChangeOutcome.NotFound => TypedResults.NotFound(),
            StatusChangeOutcome.Stale => Conflict(),
            StatusChangeOutcome.NotAllowed refused => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [refused.Allowed.Count == 0
                    ? $"A {WireEnum<OrderStatus>.NameOf(refused.From)} request cannot change any more."
                    : $"A {WireEnum<OrderStatus>.NameOf(refused.From)} request can only become: {string.Join(", ", refused.Allowed.Select(WireEnum<OrderStatus>.NameOf))}."],
            }),
            var other => throw new InvalidOperationException($"Unknown outcome {other}"),
        };
    }

    public static PushStreamHttpResult ExportCsv(
        [AsParameters] OrderListQuery query, EventBookingDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Stream(
            body => OrdersCsv.WriteAsync(body, Sort(Filter(db.Orders.AsNoTracking(), query), query).AsAsyncEnumerable(), cancellationToken),
            contentType: "text/csv; charset=utf-8",
            fileDownloadName: $"eventbooking-orders-{clock.GetUtcNow():yyyy-MM-dd}.csv");

    private static ProblemHttpResult Conflict() => TypedResults.Problem(
        title: "Someone else changed this request first.",
        detail: "Reload it to see the current status and history, then make your change again.",
        statusCode: StatusCodes.Status409Conflict);

    internal static IQueryable<Order> Filter(IQueryable<Order> orders, OrderListQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Case is ignored; the search text is escaped so % and _ match themselves.
            var pattern = SearchPattern.Containing(query.Search);
            orders = orders.Where(o =>
                EF.Functions.Like(o.CustomerName.ToLower(), pattern, SearchPattern.Escape)
                || EF.Functions.Like(o.EmailNormalized, pattern, SearchPattern.Escape)
                || EF.Functions.Like(o.Reference.ToLower(), pattern, SearchPattern.Escape)
                || EF.Functions.Like(o.Notes!.ToLower(), pattern, SearchPattern.Escape));
        }

        if (WireEnum<OrderStatus>.TryParse(query.Status, out var status))
        {
            orders = orders.Where(o => o.Status == status);
        }

        if (WireEnum<EventType>.TryParse(query.EventType, out var eventType))
        {
            orders = orders.Where(o => o.EventType == eventType);
        }

        if (query.EventFrom is { } eventFrom)
        {
            orders = orders.Where(o => o.EventDate >= eventFrom);
        }

        if (query.EventTo is { } eventTo)
        {
            orders = orders.Where(o => o.EventDate <= eventTo);
        }

        if (query.CreatedFrom is { } createdFrom)
        {
            var from = createdFrom.ToUniversalTime();
            orders = orders.Where(o => o.CreatedAt >= from);
        }

        orders = query.Promo switch
        {
            "with" => orders.Where(o => o.PromoCode != null),
            "without" => orders.Where(o => o.PromoCode == null),
            _ => orders,
        };

        if (query.CreatedTo is { } createdTo)
        {
            var to = createdTo.ToUniversalTime();
            orders = orders.Where(o => o.CreatedAt <= to);
        }

        return orders;
    }

    private static IQueryable<Order> Sort(IQueryable<Order> orders, OrderListQuery query)
    {
        var descending = query.Dir != "asc";
        return (query.Sort ?? "created") switch
        {
            "eventDate" => descending ? orders.OrderByDescending(o => o.EventDate).ThenByDescending(o => o.CreatedAt) : orders.OrderBy(o => o.EventDate).ThenBy(o => o.CreatedAt),
            "guests" => descending ? orders.OrderByDescending(o => o.GuestCount).ThenByDescending(o => o.CreatedAt) : orders.OrderBy(o => o.GuestCount).ThenBy(o => o.CreatedAt),
            _ => descending ? orders.OrderByDescending(o => o.CreatedAt) : orders.OrderBy(o => o.CreatedAt),
        };
    }
}
