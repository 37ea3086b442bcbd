using EventBooking.ApiService.Data;
using EventBooking.Data;
using EventBooking.Mail;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Promo;

/// <summary>
/// The way back to a registration for its rightful owner: a sign-up with an email already in the queue sends the
/// status link to that mailbox, at most once a minute per address, and never to the page that asked.
/// </summary>
public sealed class PromoMails(MailComposer composer, TimeProvider clock, ILogger<PromoMails> logger)
{
    public const string StatusLinkKind = "promo-link";
    private static readonly TimeSpan OncePer = TimeSpan.FromMinutes(1);

    public async Task SendStatusLinkAsync(EventBookingDbContext db, string emailNormalized, CancellationToken cancellationToken)
    {
        var original = await db.PromoRegistrations.AsNoTracking().SingleOrDefaultAsync(r => r.EmailNormalized == emailNormalized, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (original is null || await db.Set<OutgoingMail>().AnyAsync(
                m => m.Kind == StatusLinkKind && m.Recipient == original.Email && m.CreatedAt > now - OncePer, cancellationToken))
        {
            return;
        }

        var body = new MailText()
            .Say($"Dear {original.Name},")
            .Say($"Someone (we hope you) asked to join the promo queue again with this address. Each email gets one place, and yours is #{original.Sequence}.")
            .Link("Follow your request and see your result", composer.SiteLink($"/promo.html#registration={original.Id}"))
            .Say("If it was not you, there is nothing to do: your place and any code stay yours, and nobody else was told anything about them.")
            .Say("EventBooking");
        // One Message-Id per address and minute: two repeats racing each other cannot both queue a mail.
        var message = composer.Compose($"{StatusLinkKind}.{original.Sequence}.{now:yyyyMMddHHmm}", original.Name, original.Email,
            "Your place in the EventBooking promo queue", body);
        db.QueueMail(message, StatusLinkKind, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException race) when (race.IsUniqueViolation())
        {
            logger.LogDebug("A concurrent repeat sign-up already queued the status link for #{Sequence}", original.Sequence);
        }
    }
}
