using EventBooking.ApiService.Data;
using EventBooking.ApiService.Promo;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Realtime;

/// <summary>
/// Pushes new queue positions, ETAs and the codes left to clients still waiting (so a waiting page needs no polling). Coalesced: at most one pass every 250 ms, and
/// only after statuses changed, with one query for the whole queue rather than one per client. With thousands
/// waiting, passes are spaced further apart so that position updates stay within a budget of pushes per second
/// and never crowd out the decisions themselves.
/// </summary>
internal sealed class QueuePositionNotifier(
    IServiceScopeFactory scopes, PromoStatusHub hub, IOptions<PromotionOptions> promotion, TimeProvider clock, LoopHealth health,
    ILogger<QueuePositionNotifier> logger)
    : SupervisedLoop(health, logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const double MaxPositionPushesPerSecond = 4_000;

    protected override string Name => "queue positions";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        Running();
        using var timer = new PeriodicTimer(Interval, clock);
        var nextPass = DateTimeOffset.MinValue;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (clock.GetUtcNow() < nextPass || !hub.TakeQueueChanged())
            {
                continue;
            }

            var waiting = hub.QueuedWatchers().ToList();
            if (waiting.Count == 0)
            {
                continue;
            }

            nextPass = clock.GetUtcNow() + TimeSpan.FromSeconds(waiting.Count / MaxPositionPushesPerSecond);

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
            var undecided = await db.PromoRegistrations.AsNoTracking()
                .Where(r => r.Status == PromoStatus.Queued || r.Status == PromoStatus.Processing)
                .OrderBy(r => r.Sequence)
                .Select(r => r.Sequence)
                .ToArrayAsync(stoppingToken);
            // Codes go in arrival order, so a code issued moves everyone waiting up: the two change together.
            var codesLeft = Math.Max(0, promotion.Value.TotalCodes - await PromoQueries.CodesIssuedAsync(db, stoppingToken));

            foreach (var watcher in waiting)
            {
                if (watcher.Current is not { Status: PromoStatus.Queued } current)
                {
                    continue;
                }

                var index = Array.BinarySearch(undecided, watcher.Sequence);
                var position = index >= 0 ? index : ~index;
                watcher.Offer(current with { Position = position, EtaSeconds = hub.EtaFor(position), CodesLeft = codesLeft });
            }
        }
    }
}
