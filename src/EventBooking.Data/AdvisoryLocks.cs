using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace EventBooking.Data;

/// <summary>
/// Every PostgreSQL advisory lock key the services use, in one list: keys are per database, shared by every service
/// and every kind of lock, so two uses of one number would wait on each other (a manager-mail pass once waited for
/// ever on the mail sender's lease).
/// </summary>
public static class AdvisoryLocks
{
    /// <summary>The promo sign-up writers of the API replicas take turns: one gap-free arrival order.</summary>
    public const long SignUpSequence = 4542001;

    /// <summary>Lease: the outbox relay of the API replicas (<see cref="DatabaseLease"/>).</summary>
    public const long OutboxRelay = 4542002;

    /// <summary>Lease: the mail sender of a service's replicas.</summary>
    public const long MailSender = 4542003;

    /// <summary>The order writers of the API replicas take turns over groups that redeem a promo code.</summary>
    public const long PromoCodeRedemption = 4542004;

    /// <summary>The managers' mail: one replica at a time marks requests told.</summary>
    public const long ManagerMail = 4542005;

    /// <summary>
    /// On PostgreSQL, waits for <paramref name="key"/> and holds it until the open transaction ends (commit or
    /// rollback). Nothing on SQLite, where one process writes each file.
    /// </summary>
    public static async Task HoldUntilTransactionEndsAsync(this DatabaseFacade database, long key, CancellationToken cancellationToken)
    {
        if (database.IsNpgsql())
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
    }
}
