using System.Collections.Immutable;
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

    /// <summary>Stores decisions in one transaction (synchronous=FULL: on disk when this returns).</summary>
    public async Task SaveAsync(IReadOnlyList<PromoDecision> decisions, CancellationToken cancellationToken)
    {
        if (decisions.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDbContext>();
        db.Decisions.AddRange(decisions);
        await db.SaveChangesAsync(cancellationToken);
    }
}
