using System.Globalization;
using System.Security.Cryptography;
using EventBooking.Mail;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EventBooking.ApiService.Orders;

/// <summary>The mails a client gets about an order: received (with a private link and a calendar file), and each status change.</summary>
public sealed class OrderMails(MailComposer composer, IOptions<PromotionOptions> promotion)
{
    public const string ReceivedKind = "order-received";
    public const string StatusChangedKind = "order-status";

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>An event date as every mail writes it: "Saturday 12 June 2027".</summary>
    public static string DateLabel(DateOnly date) => date.ToString("dddd d MMMM yyyy", English);

    /// <summary>A private link's token: 32 random bytes; only its hash is stored.</summary>
    public static string NewViewToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string HashViewToken(string token) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    public Uri ViewLink(string token) => composer.SiteLink($"/lookup.html#token={token}");

    public MimeMessage Received(Order order, string viewToken)
    {
        var body = new MailText()
            .Say($"Dear {order.CustomerName},")
            .Say($"Thank you: we have received your event request. Your reference is {order.Reference}.")
            .Say(OrderMappings.NextStepsFor(order));
        if (OrderMappings.PromoNoteFor(order, promotion.Value.Benefit) is { } promoNote)
        {
            body.Say(promoNote);
        }

        body.Link("See your request at any time (a private link: keep this mail to yourself)", ViewLink(viewToken));
        Summary(body, order)
            .Say("The attached calendar file puts the date in your calendar.")
            .Say("EventBooking");
        return composer.Compose($"{ReceivedKind}.{order.Reference}", order.CustomerName, order.Email,
            $"We have your event request {order.Reference}", body, CalendarFile(order));
    }

    public MimeMessage StatusChanged(Order order)
    {
        var body = new MailText()
            .Say($"Dear {order.CustomerName},")
            .Say($"There is news about your event request {order.Reference}: {Headline(order.Status)}")
            .Say(OrderMappings.NextStepsFor(order));
        if (OrderMappings.PromoNoteFor(order, promotion.Value.Benefit) is { } promoNote)
        {
            body.Say(promoNote);
        }

        Summary(body, order).Say("EventBooking");
        return composer.Compose($"{StatusChangedKind}.{order.Reference}.{order.Version}", order.CustomerName, order.Email,
            $"Your event request {order.Reference}: {Headline(order.Status).TrimEnd('.')}", body);
    }

    /// <summary>The client-facing word for each status a manager can set; never the manager's internal note.</summary>
    private static string Headline(OrderStatus status) => status switch
    {
        OrderStatus.Contacted => "a planner has picked it up.",
        OrderStatus.Confirmed => "it is confirmed.",
        OrderStatus.Declined => "we cannot take it on.",
        OrderStatus.Cancelled => "it has been cancelled.",
        _ => "it has been updated.",
    };

    private static MailText Summary(MailText body, Order order) => body
        .Field("Reference", order.Reference)
        .Field("Event", EventTypeLabel(order.EventType))
        .Field("Date", DateLabel(order.EventDate))
        .Field("Guests", order.GuestCount.ToString("N0", English))
        .Field("City or venue", order.Venue)
        .Field("Promo code", order.PromoCode)
        .Field("Notes", order.Notes);

    /// <summary>The event type as people say it, for every mail.</summary>
    public static string EventTypeLabel(EventType type) => type switch
    {
        EventType.Corporate => "Corporate event",
        EventType.PrivateParty => "Private party",
        _ => type.ToString(),
    };

    /// <summary>An all-day event on the date, as an .ics attachment any calendar can import.</summary>
    private static MimePart CalendarFile(Order order)
    {
        var date = new CalDateTime(order.EventDate.Year, order.EventDate.Month, order.EventDate.Day);
        var calendar = new Ical.Net.Calendar();
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{order.Reference}@eventbooking",
            Summary = $"{EventTypeLabel(order.EventType)} ({order.Reference})",
            Description = $"Your event request {order.Reference} with EventBooking.",
            Location = order.Venue,
            Start = date,
            End = date.AddDays(1),
        });
        var ics = new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
        return new MimePart("text", "calendar")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ics))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = $"{order.Reference}.ics",
        };
    }
}
