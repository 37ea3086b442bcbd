using System.Diagnostics;
using EventBooking.Messaging;
using RabbitMQ.Client;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// The deliveries a run holds unacknowledged: every request it has read and not yet settled, those behind a gap
/// included. They belong to their channel, so they are acknowledged (or dead-lettered) only through it.
/// </summary>
internal sealed class HeldDeliveries(IChannel channel, PromoStatusPublisher publisher, ILogger logger)
{
    private sealed record Waiting(BrokerDelivery Delivery, PromoRequested Request);

    private readonly List<Waiting> _held = [];

    public int Count => _held.Count;

    public IEnumerable<PromoRequested> Requests => _held.Select(w => w.Request);

    public void Add(BrokerDelivery delivery, PromoRequested request) => _held.Add(new Waiting(delivery, request));

    /// <summary>The trace each request came with (a request sent twice keeps its first).</summary>
    public Dictionary<PromoRequested, ActivityContext> Traces() =>
        _held.DistinctBy(w => w.Request).ToDictionary(w => w.Request, w => TracePropagation.Extract(w.Delivery.Properties));

    /// <summary>
    /// Makes room in a window full of requests held behind a gap: they are copied to the back of the queue (confirmed)
    /// and only then acknowledged, so the broker can send what waits behind them, the missing request among it. After
    /// a crash in between, a request comes twice: the decider repeats the first decision for the second.
    /// </summary>
    public async Task MoveBackAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_held.Select(waiting => publisher.RequeueAsync(waiting.Delivery, cancellationToken)));
        foreach (var waiting in _held)
        {
            await channel.BasicAckAsync(waiting.Delivery.Tag, multiple: false, cancellationToken);
        }

        logger.LogInformation("Moved {Count} promo request(s) held behind a gap to the back of the queue", _held.Count);
        _held.Clear();
    }

    /// <summary>Acknowledges what is decided and announced; conflicting copies go to the dead letters; the rest stay held.</summary>
    public async Task SettleAsync(IReadOnlyList<PromoRequested> stillHeld, HashSet<string> announced, CancellationToken cancellationToken)
    {
        var heldNow = stillHeld.ToHashSet();
        var done = _held.Where(w => !heldNow.Contains(w.Request)).ToList();
        _held.RemoveAll(w => !heldNow.Contains(w.Request));

        var acked = done.Where(w => announced.Contains(w.Request.RegistrationId)).Select(w => w.Delivery.Tag).Order().ToList();
        foreach (var conflicting in done.Where(w => !announced.Contains(w.Request.RegistrationId)))
        {
            await channel.BasicNackAsync(conflicting.Delivery.Tag, multiple: false, requeue: false, cancellationToken);
        }

        if (acked.Count == 0)
        {
            return;
        }

        // One acknowledgement for everything up to the last, unless a held request sits among them.
        var lowestHeld = _held.Count == 0 ? ulong.MaxValue : _held.Min(w => w.Delivery.Tag);
        if (acked[^1] < lowestHeld && done.All(w => announced.Contains(w.Request.RegistrationId)))
        {
            await channel.BasicAckAsync(acked[^1], multiple: true, cancellationToken);
            return;
        }

        foreach (var tag in acked)
        {
            await channel.BasicAckAsync(tag, multiple: false, cancellationToken);
        }
    }
}
