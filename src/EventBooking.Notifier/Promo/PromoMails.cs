using System.Diagnostics;
using EventBooking.Mail;
using EventBooking.Messaging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EventBooking.Notifier.Promo;

/// <summary>A decision with the mail that tells it (none for a request set aside), stored together; the mail joins the sign-up's trace.</summary>
public sealed record DecisionMail(PromoDecision Decision, MimeMessage? Message, string Kind, ActivityContext Trace);

/// <summary>The mails of a decision: the winner's code, or a short note that the codes are gone.</summary>
internal sealed class PromoMails(MailComposer composer, IOptions<PromotionOptions> promotion)
{
    public const string CodeKind = "promo-code";
    public const string SoldOutKind = "promo-sold-out";
    public const string NoMail = "none";

    /// <summary>The decision's mail; none for an address never confirmed (nobody asked to hear from it).</summary>
    public DecisionMail For(PromoRequested request, PromoDecision decision, ActivityContext trace) =>
        request.Unconfirmed ? new(decision, Message: null, NoMail, trace)
        : decision.Code is { } code ? new(decision, Code(request, code, decision.DecidedAt), CodeKind, trace)
        : new(decision, SoldOut(request), SoldOutKind, trace);

    private MimeMessage Code(PromoRequested request, string code, DateTime decidedAt)
    {
        var until = promotion.Value.RedeemableUntil(new DateTimeOffset(decidedAt, TimeSpan.Zero));
        var body = new MailText()
            .Say($"Congratulations, {request.Name}!")
            .Say($"You were #{request.Sequence} in the queue, early enough for one of our promo codes. Here it is:")
            .Highlight(code)
            .Say($"It is worth {promotion.Value.Benefit}.")
            .Say($"Use it on an event request made with this email address, until {until.UtcDateTime:d MMMM yyyy}: type it in the " +
                "form's \"Promo code\" field, or start from the link below, which fills it in. It is yours alone: please do not share it.")
            .Link("Plan your event with your code", composer.SiteLink($"/order#promo={code}"))
            .Say("EventBooking");
        return composer.Compose($"{CodeKind}.{request.Sequence}", request.Name, request.Email, "Your EventBooking promo code", body);
    }

    private MimeMessage SoldOut(PromoRequested request)
    {
        var body = new MailText()
            .Say($"Dear {request.Name},")
            .Say($"Thank you for joining the promo queue (you were #{request.Sequence}). All the codes were given out before your turn came.")
            .Say("Watch out for our next promotion.")
            .Say("EventBooking");
        return composer.Compose($"{SoldOutKind}.{request.Sequence}", request.Name, request.Email, "The EventBooking promo codes are gone", body);
    }
}
