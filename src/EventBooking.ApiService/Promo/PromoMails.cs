using EventBooking.ApiService.Data;
using EventBooking.ApiService.Promo.Confirmation;
using EventBooking.Data;
using EventBooking.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EventBooking.ApiService.Promo;

/// <summary>
/// The promo mails the API sends: the link that confirms an address (which keeps its place meanwhile), and the way
/// back to a registration for its rightful owner: a sign-up with a mailbox already in the queue sends the
/// confirmation link again, or the status link, to that mailbox, at most once a minute, and never to the page that asked.
/// </summary>
public sealed class PromoMails(MailComposer composer, TimeProvider clock, IOptions<PromotionOptions> promotion, ILogger<PromoMails> logger)
{
    public const string StatusLinkKind = "promo-link";
    public const string ConfirmKind = "promo-confirm";
    private static readonly TimeSpan OncePer = TimeSpan.FromMinutes(1);

    /// <summary>The mail whose one link confirms the address; <paramref name="token"/> is in the link's fragment, never sent to a server log.</summary>
    public MimeMessage Confirmation(PromoRegistration registration, string token, DateTime now)
    {
        var minutes = (int)Math.Ceiling(promotion.Value.ConfirmWithin.TotalMinutes);
        var body = new MailText()
            .Say($"Dear {registration.Name},")
            .Say($"You joined the EventBooking promo queue as #{registration.Sequence}. Your place is kept while you confirm that this address is yours.")
            .Link("Confirm my address", composer.SiteLink($"/promo#confirm={token}"))
            .Say($"The link works once, for {minutes} minutes. Your code, if you win one, will come to this address.")
            .Say("If you did not sign up, ignore this mail: the place will lapse by itself.")
            .Say("EventBooking");
        return composer.Compose($"{ConfirmKind}.{registration.Sequence}.{now:yyyyMMddHHmmss}", registration.Name, registration.Email,
            "Confirm your address for the EventBooking promo", body);
    }

    public async Task SendStatusLinkAsync(EventBookingDbContext db, string emailNormalized, CancellationToken cancellationToken)
    {
        var original = await db.PromoRegistrations.AsNoTracking().SingleOrDefaultAsync(r => r.EmailNormalized == emailNormalized, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (original is null || await db.Set<OutgoingMail>().AnyAsync(
                m => (m.Kind == StatusLinkKind || m.Kind == ConfirmKind) && m.Recipient == original.Email && m.CreatedAt > now - OncePer, cancellationToken))
        {
            return;
        }

        if (original.ReleasedAt is null && original.ConfirmBy > now)
        {
            await SendConfirmationAgainAsync(db, original, now, cancellationToken);
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

    /// <summary>A new link (the old one stops working: only one token's hash is kept), if the place still waits for it.</summary>
    private async Task SendConfirmationAgainAsync(EventBookingDbContext db, PromoRegistration original, DateTime now, CancellationToken cancellationToken)
    {
        var (token, hash) = ConfirmationSecrets.New();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var renewed = await db.PromoRegistrations
            .Where(r => r.Sequence == original.Sequence && r.ReleasedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ConfirmTokenHash, hash), cancellationToken);
        if (renewed == 1)
        {
            db.QueueMail(Confirmation(original, token, now), ConfirmKind, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
