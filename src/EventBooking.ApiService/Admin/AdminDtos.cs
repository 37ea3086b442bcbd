using System.ComponentModel.DataAnnotations;
using EventBooking.ApiService.Validation;
using EventBooking.Messaging;

namespace EventBooking.ApiService.Admin;

/// <summary>Filters, sort and paging of the requests list (and of the CSV export, which ignores paging).</summary>
public sealed record OrderListQuery
{
    [StringLength(200)]
    public string? Search { get; init; }

    [OneOf<OrderStatus>]
    public string? Status { get; init; }

    [OneOf<EventType>]
    public string? EventType { get; init; }

    public DateOnly? EventFrom { get; init; }

    public DateOnly? EventTo { get; init; }

    public DateTime? CreatedFrom { get; init; }

    public DateTime? CreatedTo { get; init; }

    /// <summary>Only requests with a promo code ("with") or without one ("without").</summary>
    [AllowedValues(null, "with", "without", ErrorMessage = "Promo is with or without.")]
    public string? Promo { get; init; }

    [AllowedValues(null, "created", "eventDate", "guests", ErrorMessage = "Sort by created, eventDate or guests.")]
    public string? Sort { get; init; }

    [AllowedValues(null, "asc", "desc", ErrorMessage = "Direction is asc or desc.")]
    public string? Dir { get; init; }

    [Range(1, int.MaxValue, ErrorMessage = "Pages start at 1.")]
    public int? Page { get; init; }

    [Range(1, int.MaxValue, ErrorMessage = "Page size is at least 1 (and at most 100 are returned).")]
    public int? PageSize { get; init; }
}

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

public sealed record AdminOrderSummary(
    Guid Id, string Reference, string CustomerName, string Email, EventType EventType, DateOnly EventDate, int GuestCount,
    OrderStatus Status, DateTime CreatedAt, int Version, string? PromoCode);

public sealed record OrderHistoryEntry(OrderStatus From, OrderStatus To, string? Note, string ChangedBy, DateTime ChangedAt);

public sealed record AdminOrderDetail(
    Guid Id, string Reference, OrderStatus Status, int Version, string CustomerName, string Email, string? Phone,
    EventType EventType, DateOnly EventDate, int GuestCount, string? Venue, BudgetRange? BudgetRange, string? Notes,
    bool ConsentToContact, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<OrderHistoryEntry> History,
    IReadOnlyList<OrderStatus> NextStatuses, string? PromoCode, string? PromoNote);

public sealed record UpdateOrderStatusRequest
{
    [Required(ErrorMessage = "Choose the new status.")]
    [OneOf<OrderStatus>]
    public string? Status { get; init; }

    [StringLength(1_000, ErrorMessage = "An internal note is at most 1,000 characters.")]
    [PlainText(AllowLineBreaks = true)]
    public string? Note { get; init; }

    /// <summary>The version the manager saw; if someone changed the order since, the change is refused (409).</summary>
    [Required(ErrorMessage = "Send the version of the order you are changing.")]
    public int? Version { get; init; }
}

public sealed record PromoRegistrationQuery
{
    [StringLength(200)]
    public string? Search { get; init; }

    [Range(1, int.MaxValue)]
    public int? Page { get; init; }

    [Range(1, int.MaxValue)]
    public int? PageSize { get; init; }
}

public sealed record AdminPromoRegistration(
    string Id, long Sequence, string Email, string Name, PromoStatus Status, string? Code, DateTime CreatedAt, DateTime? DecidedAt);

public static class AdminMappings
{
    public static AdminOrderSummary ToSummary(this Order o) =>
        new(o.Id, o.Reference, o.CustomerName, o.Email, o.EventType, o.EventDate, o.GuestCount, o.Status, o.CreatedAt, o.Version, o.PromoCode);

    public static AdminOrderDetail ToDetail(this Order o, string benefit) => new(
        o.Id, o.Reference, o.Status, o.Version, o.CustomerName, o.Email, o.Phone, o.EventType, o.EventDate, o.GuestCount, o.Venue,
        o.BudgetRange, o.Notes, o.ConsentToContact, o.CreatedAt, o.UpdatedAt,
        [.. o.History.OrderBy(h => h.ChangedAt).ThenBy(h => h.Id).Select(h => new OrderHistoryEntry(h.From, h.To, h.Note, h.ChangedBy, h.ChangedAt))],
        OrderWorkflow.NextFrom(o.Status),
        o.PromoCode,
        o.PromoCode is null ? null : o.HoldsPromoCode ? $"Promo code redeemed: {benefit}." : "Promo code given back to its owner.");
}
