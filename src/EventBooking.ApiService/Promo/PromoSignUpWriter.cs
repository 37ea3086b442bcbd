using EventBooking.ApiService.Data;
using EventBooking.ApiService.Messaging;
using EventBooking.ApiService.Promo.ProofOfWork;
using EventBooking.Data;
using EventBooking.Mail;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Promo;

/// <summary>What became of a sign-up.</summary>
public enum SignUpOutcome
{
    /// <summary>A new place, with its queue position at that moment.</summary>
    Created,

    /// <summary>The mailbox already had a place (stored earlier, or earlier in the same group): that one.</summary>
    Repeat,

    /// <summary>Its domain, not a public mail provider, already holds <see cref="PromotionOptions.MaxPerDomain"/> places.</summary>
    DomainFull,

    /// <summary>Its proof of work's challenge paid for another sign-up (stored earlier, or earlier in the same group).</summary>
    ChallengeUsed,
}

/// <summary>
/// A sign-up to store: the registration, the token of the link that confirms its address (none when that is off), and
/// the solved challenge that pays for it (none when the proof of work is off).
/// </summary>
public sealed record NewSignUp(PromoRegistration Registration, string? ConfirmToken, PaidChallenge? Challenge = null);

/// <summary>The registration a sign-up ended up with: its own, the one its mailbox already had, or none.</summary>
public sealed record StoredSignUp(PromoRegistration Registration, SignUpOutcome Outcome, int? Position)
{
    public bool Created => Outcome == SignUpOutcome.Created;
}

/// <summary>
/// The one writer of promo sign-ups: each group of concurrent sign-ups is stored with its outbox messages in one
/// transaction. Arrival order is kept: sequence numbers follow the order the requests were queued.
/// </summary>
public sealed class PromoSignUpWriter(
    IServiceScopeFactory scopes, OutboxSignal outbox, PromoMetrics metrics, PromoMails mails, SignUpChallenges challenges,
    IssuedCodes issuedCodes, IOptions<PromotionOptions> promotion, ILogger<PromoSignUpWriter> logger)
    : GroupCommitWriter<NewSignUp, StoredSignUp>(scopes, logger)
{
    protected override async Task<IReadOnlyList<StoredSignUp>> StoreGroupAsync(
        EventBookingDbContext db, IReadOnlyList<GroupItem<NewSignUp>> group, CancellationToken cancellationToken)
    {
        // First the lock (PostgreSQL): what another replica's group stored is then visible to the reads below, so a
        // mailbox signing up on two replicas at once is a repeat on one of them, never a broken unique index that
        // would fail everybody else's sign-up in the group.
        var next = await NextSequenceAsync(db, cancellationToken);
        // Each try uses its challenge up, whatever becomes of it, in this group's one commit.
        var pays = await challenges.UseAsync(db, group.Select(g => g.Item.Challenge).ToList(), cancellationToken);

        // A mailbox that already has a registration (stored earlier, or earlier in this very group) gets that one.
        var emails = group.Select(g => g.Item.Registration.EmailNormalized).Distinct().ToList();
        var existing = await db.PromoRegistrations.AsNoTracking()
            .Where(r => emails.Contains(r.EmailNormalized))
            .ToDictionaryAsync(r => r.EmailNormalized, cancellationToken);
        var placesByDomain = await PlacesByCappedDomainAsync(db, group, cancellationToken);
        var outcomes = new Dictionary<GroupItem<NewSignUp>, SignUpOutcome>();
        var created = new List<GroupItem<NewSignUp>>();
        foreach (var (signUp, paidFor) in group.Zip(pays))
        {
            var registration = signUp.Item.Registration;
            var domain = MailboxIdentity.DomainOf(registration.EmailNormalized);
            if (!paidFor)
            {
                outcomes[signUp] = SignUpOutcome.ChallengeUsed;
            }
            else if (existing.ContainsKey(registration.EmailNormalized))
            {
                outcomes[signUp] = SignUpOutcome.Repeat;
            }
            else if (placesByDomain.TryGetValue(domain, out var places) && places >= promotion.Value.MaxPerDomain)
            {
                outcomes[signUp] = SignUpOutcome.DomainFull;
            }
            else
            {
                existing.Add(registration.EmailNormalized, registration);
                if (placesByDomain.ContainsKey(domain))
                {
                    placesByDomain[domain] = places + 1;
                }

                outcomes[signUp] = SignUpOutcome.Created;
                if (next is { } sequence)
                {
                    registration.Sequence = sequence;
                    next = sequence + 1;
                }

                db.PromoRegistrations.Add(registration);
                created.Add(signUp);
            }
        }

        // Sequences come from the inserts (or the lock above), in the order the requests were queued.
        await db.SaveChangesAsync(cancellationToken);

        // Once the codes are gone there is nothing to confirm for: such a sign-up goes straight on, to hear sold out at once.
        var codesGone = created.Any(c => c.Item.ConfirmToken is not null)
            && await issuedCodes.AllIssuedAsync(db, cancellationToken);
        foreach (var signUp in created)
        {
            var registration = signUp.Item.Registration;
            if (signUp.Item.ConfirmToken is not null && codesGone)
            {
                registration.Status = PromoStatus.Queued;
                registration.ConfirmTokenHash = null;
                registration.ReleasedAt = registration.CreatedAt;
                db.Outbox.Add(PromoOutbox.Requested(registration, unconfirmed: true, signUp.TraceParent));
            }
            else if (signUp.Item.ConfirmToken is { } token)
            {
                // Its place (the sequence just stored) is kept; it goes to the notifier once confirmed, or once its
                // time to confirm is over (ConfirmationDeadlines). The mail commits with it: never a place without its link.
                db.QueueMail(mails.Confirmation(registration, token, registration.CreatedAt), PromoMails.ConfirmKind, registration.CreatedAt);
            }
            else
            {
                db.Outbox.Add(PromoOutbox.Requested(registration, unconfirmed: false, signUp.TraceParent));
            }
        }

        await db.SaveChangesAsync(cancellationToken);

        // The group's sequences are consecutive (one writer), so one count gives every new sign-up its position.
        var ahead = created.Count == 0 ? 0 : await PromoQueries.PositionAsync(db, created[0].Item.Registration.Sequence, cancellationToken);
        var positions = created.Select((signUp, index) => (signUp, index)).ToDictionary(p => p.signUp, p => ahead + p.index);
        return group
            .Select(signUp => outcomes[signUp] switch
            {
                SignUpOutcome.Created => new StoredSignUp(signUp.Item.Registration, SignUpOutcome.Created, positions[signUp]),
                SignUpOutcome.Repeat => new StoredSignUp(existing[signUp.Item.Registration.EmailNormalized], SignUpOutcome.Repeat, null),
                var refused => new StoredSignUp(signUp.Item.Registration, refused, null),
            })
            .ToList();
    }

    /// <summary>
    /// How many places each domain of the group already holds, for the domains the cap applies to (not a public mail
    /// provider). Read under the lock, so replicas cannot both take a domain's last place.
    /// </summary>
    private async Task<Dictionary<string, int>> PlacesByCappedDomainAsync(
        EventBookingDbContext db, IReadOnlyList<GroupItem<NewSignUp>> group, CancellationToken cancellationToken)
    {
        var places = new Dictionary<string, int>(StringComparer.Ordinal);
        if (promotion.Value.MaxPerDomain == 0)
        {
            return places;
        }

        foreach (var domain in group.Select(g => MailboxIdentity.DomainOf(g.Item.Registration.EmailNormalized)).Distinct())
        {
            if (!MailboxIdentity.IsPublicProvider(domain))
            {
                var suffix = "@" + domain;
                places[domain] = await db.PromoRegistrations.CountAsync(r => r.EmailNormalized.EndsWith(suffix), cancellationToken);
            }
        }

        return places;
    }

    /// <summary>
    /// On PostgreSQL, where several API replicas write: one arrival order for all of them, gap-free. A lock held to
    /// the commit makes the groups of all replicas take turns; each continues after the highest stored sequence.
    /// SQLite (one writer per file) numbers the rows itself: null.
    /// </summary>
    private static async Task<long?> NextSequenceAsync(EventBookingDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return null;
        }

        await db.Database.HoldUntilTransactionEndsAsync(AdvisoryLocks.SignUpSequence, cancellationToken);
        return (await db.PromoRegistrations.MaxAsync(r => (long?)r.Sequence, cancellationToken) ?? 0) + 1;
    }

    protected override void OnCommitted(int groupSize)
    {
        outbox.Notify();
        metrics.SignUpGroupCommitted(groupSize);
    }
}
