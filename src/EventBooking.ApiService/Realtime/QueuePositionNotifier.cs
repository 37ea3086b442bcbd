using EventBooking.ApiService.Data;
using EventBooking.ApiService.Promo;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Realtime;

/// <summary>
/// Pushes new queue positions, ETAs, the codes left and who ahead has not confirmed yet to clients still waiting
/// (so a waiting page needs no polling), with one query for the whole queue rather than one per client. Coalesced:
/// a pass only after statuses changed, at most one a second, and with thousands waiting further apart, so that position
/// updates stay within a budget of pushes per second. Every decision moves everyone behind it up, so pushing each move
/// sent a waiting page a message per decision (80 per person in a burst of 2,000 going the whole way; 32 now), and
/// their number grows with the square of the people waiting. Statuses themselves (steps, the decision) are pushed at
/// once, apart from these passes.
/// </summary>
internal sealed class QueuePositionNotifier(
    IServiceScopeFactory scopes, PromoStatusHub hub, IOptions<PromotionOptions> promotion, IssuedCodes issuedCodes, TimeProvider clock,
    LoopHealth health, ILogger<QueuePositionNotifier> logger)
    : SupervisedLoop(health, logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    /// <summary>A person reads a position that changes at most this often; a quicker one only costs CPU.</summary>
    private static readonly TimeSpan MinPassSpacing = TimeSpan.FromSeconds(1);
    private const double MaxPositionPushesPerSecond = 1_000;
    private static readonly TimeSpan ConfirmationPoll = TimeSpan.FromSeconds(2);

    protected override string Name => "queue positions";

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        Running();
        using var timer = new PeriodicTimer(Interval, clock);
        var nextPass = DateTimeOffset.MinValue;
        var lastPass = DateTimeOffset.MinValue;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = clock.GetUtcNow();
            // Confirmations (on any replica) and deadlines change no status this replica hears of: while someone
            // waits on them, a pass every few seconds anyway.
            if (now < nextPass || !(hub.TakeQueueChanged() || (promotion.Value.ConfirmEmail && now - lastPass > ConfirmationPoll
                && hub.AnyWaitOnConfirmations)))
            {
                continue;
            }

            var waiting = hub.WaitingWatchers().ToList();
            if (waiting.Count == 0)
            {
                continue;
            }

            lastPass = now;
            nextPass = now + TimeSpan.FromSeconds(Math.Max(MinPassSpacing.TotalSeconds, waiting.Count / MaxPositionPushesPerSecond));
            await PushPositionsAsync(waiting, stoppingToken);
        }
    }

    private async Task PushPositionsAsync(List<StatusWatcher> waiting, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        var undecided = await PromoQueries.Undecided(db).AsNoTracking()
            .OrderBy(r => r.Sequence)
            .Select(r => new { r.Sequence, r.Status, Unconfirmed = r.ReleasedAt == null, r.ConfirmBy })
            .ToArrayAsync(stoppingToken);
        var sequences = Array.ConvertAll(undecided, r => r.Sequence);
        // Per position: how many of those ahead still wait for their address to be confirmed, and until when at most.
        var unconfirmedAhead = new int[undecided.Length + 1];
        var unconfirmedUntil = new DateTime?[undecided.Length + 1];
        for (var i = 0; i < undecided.Length; i++)
        {
            var unconfirmed = undecided[i].Unconfirmed;
            unconfirmedAhead[i + 1] = unconfirmedAhead[i] + (unconfirmed ? 1 : 0);
            unconfirmedUntil[i + 1] = unconfirmed && undecided[i].ConfirmBy > unconfirmedUntil[i] ? undecided[i].ConfirmBy : unconfirmedUntil[i];
        }

        // Codes go in arrival order, so a code issued moves everyone waiting up: the two change together.
        var codesLeft = await issuedCodes.LeftAsync(db, stoppingToken);
        foreach (var watcher in waiting)
        {
            if (watcher.Current is not { } current || !current.Status.IsWaiting())
            {
                continue;
            }

            var index = Array.BinarySearch(sequences, watcher.Sequence);
            var position = index >= 0 ? index : ~index;
            var confirmedMeanwhile = current.Status == PromoStatus.AwaitingConfirmation && index >= 0 && undecided[index].Status == PromoStatus.Queued;
            var ahead = unconfirmedAhead[position];
            watcher.Offer(current with
            {
                Position = position,
                EtaSeconds = hub.EtaFor(position),
                CodesLeft = codesLeft,
                UnconfirmedAhead = ahead > 0 ? ahead : null,
                UnconfirmedUntil = ahead > 0 ? unconfirmedUntil[position] : null,
                Status = confirmedMeanwhile ? PromoStatus.Queued : current.Status,
                Message = confirmedMeanwhile ? PromoMappings.ConfirmedMessage : current.Message,
                ConfirmBy = confirmedMeanwhile ? null : current.ConfirmBy,
            });
        }
    }
}
