using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EventBooking.Mail;
using MimeKit;

namespace EventBooking.ApiService.Notifications;

/// <summary>The mail that tells a manager of new requests: one line and one link per request, straight into the back office.</summary>
public sealed class ManagerMails(MailComposer composer)
{
    public const string NewRequestsKind = "manager-new-requests";

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Where the back office opens one request.</summary>
    public Uri BackOfficeLink(Guid orderId) => composer.SiteLink($"/admin#order={orderId}");

    public MimeMessage NewRequests(ManagerRecipient recipient, IReadOnlyList<Order> orders)
    {
        var first = orders[0];
        var subject = orders.Count == 1
            ? $"New event request {first.Reference}: {Line(first)}"
            : $"{orders.Count.ToString("N0", English)} new event requests";
        var body = new MailText().Say(orders.Count == 1
            ? "A new event request has arrived. The client was promised an answer within one business day."
            : $"{orders.Count.ToString("N0", English)} new event requests have arrived. Each client was promised an answer within one business day.");
        foreach (var order in orders)
        {
            body.Link($"{order.Reference} · {order.CustomerName} · {Line(order)}", BackOfficeLink(order.Id));
        }

        body.Say("You get at most one of these mails a minute. Switch them off for yourself in the back office: untick \"Mail me new requests\" at its top.")
            .Say("EventBooking");
        // One Message-Id per mail and manager, stable if the same mail is queued again.
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.Email.ToUpperInvariant())))[..16];
        return composer.Compose($"{NewRequestsKind}.{first.Reference}.{key}", "EventBooking manager", recipient.Email, subject, body);
    }

    private static string Line(Order order)
    {
        var line = $"{OrderMails.EventTypeLabel(order.EventType)} on {OrderMails.DateLabel(order.EventDate)}, " +
            $"{order.GuestCount.ToString("N0", English)} guest{(order.GuestCount == 1 ? "" : "s")}";
        return order.PromoCode is null ? line : $"{line}, with a promo code";
    }
}
