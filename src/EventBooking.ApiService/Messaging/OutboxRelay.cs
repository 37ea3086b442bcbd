using System.Diagnostics;
using System.Text;
using EventBooking.ApiService.Data;
using EventBooking.Data;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace EventBooking.ApiService.Messaging;

/// <summary>
/// Publishes committed outbox messages to RabbitMQ in sequence order, as persistent messages with publisher
/// confirms, and marks them sent only once the broker has confirmed them. Whatever was not confirmed (broker
/// down, API killed) is published again on the next pass, so the notifier must, and does, treat repeats as such.
/// </summary>
internal sealed class OutboxRelay(
    IServiceProvider services, IServiceScopeFactory scopes, OutboxSignal signal, TimeProvider clock, LoopHealth health, ILogger<OutboxRelay> logger)
    : BrokerLoop(services, health, logger)
{
    public static readonly ActivitySource ActivitySource = new("EventBooking.Api.Outbox");

    private const int BatchSize = 500;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    protected override string Name => "outbox relay";

    protected override CreateChannelOptions ChannelOptions =>
        new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // One relay for all API replicas: the others stand by (publishing from two would only repeat messages).
        await using var lease = await TakeLeaseAsync(stoppingToken);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        // While the broker is down the run fails and is tried again; sign-ups wait in the outbox meanwhile.
        await base.RunAsync(working.Token);
    }

    protected override async Task WorkAsync(IConnection connection, IChannel channel, CancellationToken stoppingToken)
    {
        Running();
        while (true)
        {
            if (await PublishPendingAsync(channel, stoppingToken) < BatchSize)
            {
                await signal.WaitAsync(IdlePoll, stoppingToken);
            }
        }
    }

    private async Task<DatabaseLease> TakeLeaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await DatabaseLease.TakeAsync(scope.ServiceProvider.GetRequiredService<EventBookingDbContext>(), AdvisoryLocks.OutboxRelay,
            () => Health.Report(Name, Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, "standing by: another replica relays"), cancellationToken);
    }

    private async Task<int> PublishPendingAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();

        var pending = await db.Outbox.AsNoTracking()
            .Where(m => m.SentAt == null)
            .OrderBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        // Started in id order on one channel, so they reach the queue in that order; then all confirms are awaited
        // together (one round of broker fsyncs for the batch instead of one per message). If any is refused, none
        // of the batch is marked sent and the whole batch goes again: the notifier treats repeats as such, and holds
        // a request whose predecessor is missing until it arrives.
        var confirms = new List<Task>(pending.Count);
        foreach (var message in pending)
        {
            using var activity = ActivitySource.StartActivity(
                $"{PromoTopology.RequestsQueue} publish", ActivityKind.Producer, TracePropagation.Parse(message.TraceParent));
            var properties = PromoTopology.PersistentJson($"outbox-{message.Id}");
            properties.Type = message.Type;
            properties.Headers![PromoTopology.RegistrationHeader] = message.MessageId;
            TracePropagation.Inject(properties, activity?.Context ?? TracePropagation.Parse(message.TraceParent));

            confirms.Add(channel.BasicPublishAsync(
                exchange: string.Empty,
                routingKey: PromoTopology.RequestsQueue,
                mandatory: true,
                basicProperties: properties,
                body: Encoding.UTF8.GetBytes(message.Payload),
                cancellationToken: cancellationToken).AsTask());
        }

        await Task.WhenAll(confirms);

        // By id, not by range: with several writers a row may commit inside the range after it was read.
        var published = pending.ConvertAll(m => m.Id);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Outbox
            .Where(m => published.Contains(m.Id))
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.SentAt, now), cancellationToken);

        logger.LogDebug("Published {Count} outbox message(s) {First}..{Last}", pending.Count, published[0], published[^1]);
        return pending.Count;
    }
}
