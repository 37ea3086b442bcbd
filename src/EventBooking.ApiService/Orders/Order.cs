using System.Text.Json.Serialization;
using EventBooking.ApiService.Validation;

namespace EventBooking.ApiService.Orders;

/// <summary>An event request as stored for managers. Not exposed directly: the API returns <see cref="OrderDto"/>.</summary>
public sealed class Order
{
    public Guid Id { get; init; }

    /// <summary>What the client quotes, e.g. EB-7K3M-9QX2 (see <see cref="OrderReference"/>).</summary>
    public required string Reference { get; init; }

    public required string CustomerName { get; set; }

    /// <summary>As the client typed it (trimmed).</summary>
    public required string Email { get; set; }

    /// <summary>Lower-cased, for lookups and manager search.</summary>
    public required string EmailNormalized { get; set; }

    public string? Phone { get; set; }

    public EventType EventType { get; set; }

    public DateOnly EventDate { get; set; }

    public int GuestCount { get; set; }

    public string? Venue { get; set; }

    public BudgetRange? BudgetRange { get; set; }

    public string? Notes { get; set; }

    public bool ConsentToContact { get; set; }

    public OrderStatus Status { get; set; } = OrderStatus.New;

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Grows with every change a manager makes; a change based on an older version is refused (409).</summary>
    public int Version { get; set; }

    public List<OrderStatusChange> History { get; init; } = [];

    /// <summary>The client's Idempotency-Key header, so a double submission returns this order instead of a new one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the private link's token mailed to the client; the token itself is never stored.</summary>
    public string? ViewTokenHash { get; init; }

    /// <summary>A won promo code redeemed on this request (as issued, e.g. EVT-7K3M-9QX2-HP4D); free again once it is cancelled or declined.</summary>
    public string? PromoCode { get; init; }

    /// <summary>When the managers' mail about this new request was queued (null: not yet; see <c>ManagerDigest</c>).</summary>
    public DateTime? ManagersToldAt { get; set; }

    /// <summary>Hash of the request that used <see cref="IdempotencyKey"/>: a reused key with other content is refused.</summary>
    public string? RequestFingerprint { get; init; }

    /// <summary>A new request from a validated form: trimmed, the email also normalised, status New, a fresh reference.</summary>
    public static Order Create(
        CreateOrderRequest request, DateTime now, string? idempotencyKey, string? requestFingerprint, string viewTokenHash, string? promoCode)
    {
        var email = request.Email!.Trim();
        return new Order
        {
            Id = Guid.CreateVersion7(),
            Reference = OrderReference.New(),
            CustomerName = request.CustomerName!.Trim(),
            Email = email,
            EmailNormalized = EmailAddress.Normalize(email),
            Phone = NullIfBlank(request.Phone),
            EventType = WireEnum<EventType>.Parse(request.EventType!),
            EventDate = request.EventDate!.Value,
            GuestCount = request.GuestCount!.Value,
            Venue = NullIfBlank(request.Venue),
            BudgetRange = string.IsNullOrWhiteSpace(request.BudgetRange) ? null : WireEnum<BudgetRange>.Parse(request.BudgetRange),
            Notes = NullIfBlank(request.Notes),
            ConsentToContact = request.ConsentToContact!.Value,
            CreatedAt = now,
            UpdatedAt = now,
            IdempotencyKey = idempotencyKey,
            RequestFingerprint = requestFingerprint,
            ViewTokenHash = viewTokenHash,
            PromoCode = promoCode,
        };
    }

    /// <summary>An order in these statuses no longer holds its promo code: its owner can use it again.</summary>
    public static readonly OrderStatus[] StatusesGivingCodeBack = [OrderStatus.Cancelled, OrderStatus.Declined];

    public static bool GivesCodeBack(OrderStatus status) => StatusesGivingCodeBack.Contains(status);

    /// <summary>Whether this order holds its promo code (the database's partial unique index says the same).</summary>
    public bool HoldsPromoCode => PromoCode is not null && !GivesCodeBack(Status);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One step of an order's status workflow, kept for the back office: who, when, from, to, why.</summary>
public sealed class OrderStatusChange
{
    public long Id { get; init; }

    public Guid OrderId { get; init; }

    public OrderStatus From { get; init; }

    public OrderStatus To { get; init; }

    public string? Note { get; init; }

    public required string ChangedBy { get; init; }

    public DateTime ChangedAt { get; init; }
}

public enum OrderStatus
{
    New,
    Contacted,
    Confirmed,
    Declined,
    Cancelled,
}

public enum EventType
{
    Wedding,
    Corporate,
    Birthday,
    Conference,
    PrivateParty,
    Other,
}

public enum BudgetRange
{
    [JsonStringEnumMemberName("under-5k")]
    Under5k,

    [JsonStringEnumMemberName("5k-15k")]
    From5kTo15k,

    [JsonStringEnumMemberName("15k-50k")]
    From15kTo50k,

    [JsonStringEnumMemberName("over-50k")]
    Over50k,
}
