using System.Collections.Immutable;
using EventBooking.Mail;
using EventBooking.Notifier.Promo;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.Notifier.Data;

/// <summary>The notifier's durable record: the ledger to decide from, earlier decisions, and new ones, committed together.</summary>
public sealed class DecisionStore(IServiceScopeFactory scopes)
{
    public async Task<CodeLedger> LoadLedgerAsync(int totalCodes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDbContext>();
        var holders = await db.Decisions.AsNoTracking().Where(d => d.Code != null).Select(d => d.EmailNormalized).ToListAsync(cancellationToken);
        var last = await db.Decisions.MaxAsync(d => (long?)d.Sequence, cancellationToken) ?? 0;
        return new CodeLedger(totalCodes - holders.Count, [.. holders], last);
    }

    public async Task<Dictionary<string, PromoDecision>> FindAsync(IReadOnlyCollection<string> registrationIds, CancellationToken cancellationToken)
    {
        if (registrationIds.Count == 0)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDbContext>();
        return await db.Decisions.AsNoTracking()
            .Where(d => registrationIds.Contains(d.RegistrationId))
            .ToDictionaryAsync(d => d.RegistrationId, cancellationToken);
    }

    /// <summary>
    /// Stores decisions and their mails in one transaction (synchronous=FULL: on disk when this returns): a decision
    /// is mailed once, and never a mail without its decision.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<DecisionMail> decisions, CancellationToken cancellationToken)
    {
        if (decisions.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDbContext>();
        foreach (var (decision, mail, kind, trace) in decisions)
        {
            db.Decisions.Add(decision);
            if (mail is not null)
            {
                // The code mail names its registration: its outcome completes the registration's status.
                db.QueueMail(mail, kind, decision.DecidedAt, about: decision.Code is null ? null : decision.RegistrationId, trace);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The code mails of these registrations that have gone out (or were refused for good), by registration.</summary>
    public async Task<Dictionary<string, OutgoingMail>> SettledCodeMailsAsync(IReadOnlyCollection<string> registrationIds, CancellationToken cancellationToken)
    {
        if (registrationIds.Count == 0)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDbContext>();
        return await db.Set<OutgoingMail>().AsNoTracking()
            .Where(m => m.About != null && registrationIds.Contains(m.About) && (m.SentAt != null || m.FailedAt != null))
            .ToDictionaryAsync(m => m.About!, cancellationToken);
    }

    public async Task<PromoDecision?> FindAsync(string registrationId, CancellationToken cancellationToken) =>
        (await FindAsync([registrationId], cancellationToken)).GetValueOrDefault(registrationId);
}
