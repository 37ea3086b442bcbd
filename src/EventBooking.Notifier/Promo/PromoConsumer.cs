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
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: options.CurrentValue.Prefetch, global: false, stoppingToken);
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
        }
    }
}
