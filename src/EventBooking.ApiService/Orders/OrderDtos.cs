using System.ComponentModel.DataAnnotations;
using EventBooking.ApiService.Validation;

namespace EventBooking.ApiService.Orders;

/// <summary>What the order form sends. Enums travel as strings so an unknown value is a field error, not a JSON error.</summary>
public sealed record CreateOrderRequest
{
    [Required(ErrorMessage = "Tell us your name.")]
    [StringLength(100, MinimumLength = 2, ErrorMessage = "Your name must be 2 to 100 characters.")]
    [PlainText]
    public string? CustomerName { get; init; }

    [Required(ErrorMessage = "We need your email to send the confirmation.")]
    [StringLength(EmailAttribute.MaxLength, ErrorMessage = "An email address is at most 254 characters.")]
    [Email]
    public string? Email { get; init; }

    [StringLength(32, ErrorMessage = "A phone number is at most 32 characters.")]
    [RegularExpression(@"^\s*\+?[0-9][0-9 ()./-]{4,30}\s*$", ErrorMessage = "Use digits, spaces and + ( ) - only, e.g. +44 20 7946 0958.")]
    public string? Phone { get; init; }

    [Required(ErrorMessage = "Choose the kind of event.")]
    [OneOf<EventType>]
    public string? EventType { get; init; }

    [Required(ErrorMessage = "Choose the date of the event.")]
    [UpcomingDate(MaxYearsAhead = 3)]
    public DateOnly? EventDate { get; init; }

    [Required(ErrorMessage = "Tell us roughly how many guests you expect.")]
    [Range(1, 10_000, ErrorMessage = "Guests must be between 1 and 10,000.")]
    public int? GuestCount { get; init; }

    [StringLength(200, ErrorMessage = "The city or venue is at most 200 characters.")]
    [PlainText]
    public string? Venue { get; init; }

    [OneOf<BudgetRange>]
    public string? BudgetRange { get; init; }

    [StringLength(2_000, ErrorMessage = "Notes are at most 2,000 characters.")]
    [PlainText(AllowLineBreaks = true)]
    public string? Notes { get; init; }

    [Required(ErrorMessage = "Please agree that we may contact you about this request.")]
    [AllowedValues(true, ErrorMessage = "Please agree that we may contact you about this request.")]
    public bool? ConsentToContact { get; init; }

    /// <summary>A won promo code to redeem on this request, typed any way (checked by <see cref="PromoRedemption"/>).</summary>
    [StringLength(40, ErrorMessage = "A promo code is 17 characters, like EVT-7K3M-9QX2-HP4D.")]
    public string? PromoCode { get; init; }
}

/// <summary>An order as its client sees it: what was stored, its status, and what happens next.</summary>
public sealed record OrderDto(
    string Reference,
    OrderStatus Status,
    string CustomerName,
    string Email,
    string? Phone,
    EventType EventType,
    DateOnly EventDate,
    int GuestCount,
    string? Venue,
    BudgetRange? BudgetRange,
    string? Notes,
    bool ConsentToContact,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string NextSteps,
    string? PromoCode,
    string? PromoNote);

/// <summary>The private link's token from an order's confirmation mail.</summary>
public sealed record ViewOrderRequest(string? Token);

/// <summary>A look-up: the reference from the confirmation and the email the request was made with.</summary>
public sealed record LookUpOrderRequest(string? Reference, string? Email);

public static class OrderMappings
{
    public static OrderDto ToDto(this Order order, string benefit) => new(
        order.Reference,
        order.Status,
        order.CustomerName,
        order.Email,
        order.Phone,
        order.EventType,
        order.EventDate,
        order.GuestCount,
        order.Venue,
        order.BudgetRange,
        order.Notes,
        order.ConsentToContact,
        order.CreatedAt,
        order.UpdatedAt,
        NextStepsFor(order),
        order.PromoCode,
        PromoNoteFor(order, benefit));

    /// <summary>What a redeemed code means for this request, in the client's words (pages and mails); null without one.</summary>
    public static string? PromoNoteFor(Order order, string benefit) => order.PromoCode is not { } code
        ? null
        : order.HoldsPromoCode
            ? $"Your promo code {code} is on this request: {benefit}. Your planner will apply it to your quote."
            : $"Your promo code {code} is free again: use it on your next request ({benefit}).";

    /// <summary>What the client can expect next, in the client's words: shown on the pages and in every mail.</summary>
    public static string NextStepsFor(Order order) => order.Status switch
    {
        OrderStatus.New =>
            $"Your request is with our planners. One of them will contact you at {order.Email} within one business day " +
            $"(Monday to Friday) to talk through the details and a quote. Keep your reference {order.Reference}: " +
            "you can check the status of your request at any time on the \"Find my request\" page.",
        OrderStatus.Contacted =>
            "A planner has been in touch with you. Reply to their email, or quote your reference when you call us.",
        OrderStatus.Confirmed => "Your event is confirmed. Your planner will keep you posted as the date approaches.",
        OrderStatus.Declined => "We are sorry we cannot take this event. Your planner has written to you with the reason.",
        OrderStatus.Cancelled => "This request has been cancelled. Send us a new request whenever you are ready.",
        _ => "We will be in touch.",
    };
}
