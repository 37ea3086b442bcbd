using EventBooking.ApiService.Data;
using EventBooking.Data;
using EventBooking.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Notifications;

/// <summary>
/// Tells the managers of every new request by mail, soon and without flooding them: a burst is gathered into one
/// mail (sent once requests pause for <see cref="NotificationOptions.Quiet"/>, or once the oldest has waited
/// <see cref="NotificationOptions.MaxWait"/>), and at most one goes out per <see cref="NotificationOptions.MinInterval"/>.
/// Each order is marked told in the transaction that queues the mails, so every request is in exactly one of them,
/// whichever replica sends it.
/// </summary>
internal sealed class ManagerDigest(
    IServiceScopeFactory scopes, ManagerMails mails, IOptions<NotificationOptions> options, TimeProvider clock, LoopHealth health,
    ILogger<ManagerDigest> logger) : PeriodicLoop(clock, health, logger)
{
    private const int MaxPerMail = 500;

    // One pass at a time in this process (the loop, or a test driving the clock); replicas take turns by a lock.
    private readonly SemaphoreSlim _onePass = new(1, 1);

    protected override string Name => "manager mail";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override Task PassAsync(CancellationToken cancellationToken) => SendDueAsync(cancellationToken);

    /// <summary>Queues the mail about the requests nobody was told of yet, if it is time; says how many requests it held.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await _onePass.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
            if (!await db.Orders.AnyAsync(o => o.ManagersToldAt == null, cancellationToken))
            {
                return 0;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.HoldUntilTransactionEndsAsync(AdvisoryLocks.ManagerMail, cancellationToken);

            var untold = await db.Orders.AsNoTracking()
                .Where(o => o.ManagersToldAt == null)
                .OrderBy(o => o.CreatedAt)
                .Take(MaxPerMail)
                .ToListAsync(cancellationToken);
            var lastMail = await db.Orders.MaxAsync(o => o.ManagersToldAt, cancellationToken);
            var now = Clock.GetUtcNow().UtcDateTime;
            if (untold.Count == 0 || !IsDue(now, untold[0].CreatedAt, untold[^1].CreatedAt, lastMail))
            {
                return 0;
            }

            var recipients = await ManagerRecipients.ForNewRequestsAsync(db, options.Value, cancellationToken);
            foreach (var recipient in recipients)
            {
                db.QueueMail(mails.NewRequests(recipient, untold), ManagerMails.NewRequestsKind, now);
            }

            var ids = untold.ConvertAll(o => o.Id);
            await db.Orders.Where(o => ids.Contains(o.Id)).ExecuteUpdateAsync(set => set.SetProperty(o => o.ManagersToldAt, now), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Told {Managers} manager(s) of {Count} new request(s)", recipients.Count, untold.Count);
            return untold.Count;
        }
        finally
        {
            _onePass.Release();
        }
    }

    private bool IsDue(DateTime now, DateTime oldest, DateTime newest, DateTime? lastMail)
    {
        var settings = options.Value;
        var gathered = now - newest >= settings.Quiet || now - oldest >= settings.MaxWait;
        return gathered && (lastMail is null || now - lastMail >= settings.MinInterval);
    }
}
