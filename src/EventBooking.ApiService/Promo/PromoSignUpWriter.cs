using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Messaging;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Promo;

/// <summary>A sign-up to store, and how its request learns the stored registration (new or the existing one).</summary>
public sealed record PendingSignUp(PromoRegistration Registration, string? TraceParent)
{
    public TaskCompletionSource<(PromoRegistration Registration, bool Created)> Stored { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The one writer of promo sign-ups. Concurrent requests queue here and are committed together: one SQLite
/// transaction (one fsync with synchronous=FULL) for everything that arrived meanwhile, instead of one each with
/// every writer waiting on the database lock. Each request is answered only after its group is committed, so a
/// 202 still means durable. Arrival order is kept: sequence numbers follow the order the requests were queued.
/// </summary>
public sealed class PromoSignUpWriter(
    IServiceScopeFactory scopes, OutboxSignal outbox, PromoMetrics metrics, ILogger<PromoSignUpWriter> logger) : BackgroundService
{
    private const int MaxGroup = 256;

    private readonly Channel<PendingSignUp> _queue = Channel.CreateBounded<PendingSignUp>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public async Task<(PromoRegistration Registration, bool Created)> StoreAsync(
        PromoRegistration registration, CancellationToken cancellationToken)
    {
        var pending = new PendingSignUp(registration, Activity.Current?.Id);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var group = new List<PendingSignUp>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            try
            {
                var results = await CommitAsync(group, stoppingToken);
                foreach (var (pending, result) in group.Zip(results))
                {
                    pending.Stored.TrySetResult(result);
                }

                outbox.Notify();
                metrics.SignUpGroupCommitted(group.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Nothing of this group was committed: each request fails (500) rather than being told "accepted".
                logger.LogError(ex, "Could not store a group of {Count} promo sign-ups", group.Count);
                group.ForEach(pending => pending.Stored.TrySetException(ex));
            }
        }
    }

    private async Task<List<(PromoRegistration, bool)>> CommitAsync(List<PendingSignUp> group, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // An email that already has a registration (stored earlier, or earlier in this very group) gets that one.
        var emails = group.Select(p => p.Registration.EmailNormalized).Distinct().ToList();
        var existing = await db.PromoRegistrations.AsNoTracking()
            .Where(r => emails.Contains(r.EmailNormalized))
            .ToDictionaryAsync(r => r.EmailNormalized, cancellationToken);
        var results = new List<(PromoRegistration, bool)>(group.Count);
        var created = new List<PendingSignUp>();
        foreach (var pending in group)
        {
            if (existing.TryGetValue(pending.Registration.EmailNormalized, out var earlier))
            {
                results.Add((earlier, false));
                continue;
            }

            existing[pending.Registration.EmailNormalized] = pending.Registration;
            db.PromoRegistrations.Add(pending.Registration);
            created.Add(pending);
            results.Add((pending.Registration, true));
        }

        // Sequences come from the inserts, in the order the requests were queued.
        await db.SaveChangesAsync(cancellationToken);
        foreach (var pending in created)
        {
            var registration = pending.Registration;
            var message = new PromoRequested(registration.Id, registration.Sequence, registration.Email, registration.Name, registration.CreatedAt);
            db.Outbox.Add(new OutboxMessage
            {
                Type = nameof(PromoRequested),
                MessageId = registration.Id,
                Payload = JsonSerializer.Serialize(message, PromoTopology.Json),
                TraceParent = pending.TraceParent,
                CreatedAt = registration.CreatedAt,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return results;
    }
}
