using System.Diagnostics;
using EventBooking.Messaging;
using EventBooking.Notifier.Data;
using EventBooking.ServiceDefaults;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// Takes promo requests from the queue (single active consumer, manual acks) and, in delivery order: decides what is
/// next in sequence (<see cref="PromoDecider"/>), shows a winner each step, stores the decisions, announces them, and
/// only then acknowledges. Requests behind a gap wait unacknowledged. A crash at any point is safe: unacknowledged
/// requests come back, find their stored decisions and announce those same decisions again.
/// </summary>
internal sealed class PromoConsumer(
    IServiceProvider services,
    DecisionStore store,
    PromoMails mails,
    IOptionsMonitor<ProcessingOptions> options,
    IOptions<PromotionOptions> promotion,
    NotifierMetrics metrics,
    TimeProvider clock,
    LoopHealth health,
    ILogger<PromoConsumer> logger) : BrokerChannelLoop(services, health, logger)
{
    public static readonly ActivitySource ActivitySource = new("EventBooking.Notifier.Promo");

    protected override string Name => "promo consumer";

    protected override async Task WorkAsync(IConnection connection, IChannel channel, CancellationToken stoppingToken)
    {
        await using var publisherChannel = await PromoStatusPublisher.OpenChannelAsync(connection, stoppingToken);
        var run = new PromoRun(
            new PromoRunServices(store, mails, options, promotion.Value.TotalCodes, metrics, clock, logger),
            channel, new PromoStatusPublisher(publisherChannel, clock), RetryInPlace(PromoFailurePolicy.IsTransient),
            (status, description) => Health.Report(Name, status, description));

        // The broker may send ahead while a batch is stored; order holds: one consumer, one loop, delivery order.
        // The window this channel's consumer has: a setting changed later applies from the next run on.
        var window = options.CurrentValue.Prefetch;
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: window, global: false, stoppingToken);
        await run.LoadAsync(stoppingToken);
        var inbox = await ConsumeAsync(channel, PromoTopology.RequestsQueue, stoppingToken);
        logger.LogInformation("Waiting for promo requests on {Queue}", PromoTopology.RequestsQueue);
        Running();

        var batch = new List<BrokerDelivery>();
        while (await inbox.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < options.CurrentValue.MaxBatch && inbox.TryRead(out var delivery))
            {
                batch.Add(delivery);
            }

            await run.HandleAsync(batch, stoppingToken);

            // A window full of requests held behind a gap lets nothing else in, the missing one included when it sits
            // behind them in the queue (a sign-up confirmed, or released, after many later ones): they go to the back.
            // Not before something waits behind them, or they would only come straight back; the broker sends nothing
            // into a full window, so its queue is asked.
            while (run.Held.Count >= window)
            {
                if (await channel.MessageCountAsync(PromoTopology.RequestsQueue, stoppingToken) > 0)
                {
                    await run.Held.MoveBackAsync(stoppingToken);
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken);
            }
        }
    }
}
