using System.Diagnostics;
using System.Text;
using EventBooking.ApiService.Data;
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
    IServiceScopeFactory scopes, BrokerConnection broker, OutboxSignal signal, TimeProvider clock, ILogger<OutboxRelay> logger)
    : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("EventBooking.Api.Outbox");

    private const int BatchSize = 500;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IChannel? channel = null;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                channel ??= await OpenChannelAsync(stoppingToken);
                if (await PublishPendingAsync(channel, stoppingToken) < BatchSize)
                {
                    await signal.WaitAsync(IdlePoll, stoppingToken);
                }

                backoff = TimeSpan.FromMilliseconds(250);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Broker down or connection lost: the messages stay in the outbox; nothing is lost, only delayed.
                logger.LogWarning(ex, "Outbox relay could not publish; retrying in {Delay}.", backoff);
                if (channel is not null)
                {
                    await channel.DisposeAsync();
                    channel = null;
                }

                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, MaxBackoff.TotalMilliseconds));
            }
        }

        if (channel is not null)
        {
            await channel.DisposeAsync();
        }
    }

    private async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        var connection = await broker.GetAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        await PromoTopology.DeclareAsync(channel, cancellationToken);
        return channel;
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
        // of the batch is marked sent and the whole batch goes again: the notifier treats repeats as such.
        var confirms = new List<Task>(pending.Count);
        foreach (var message in pending)
        {
            using var activity = ActivitySource.StartActivity(
                $"{PromoTopology.RequestsQueue} publish", ActivityKind.Producer, TraceContext.Parse(message.TraceParent));
            var properties = PromoTopology.PersistentJson(message.MessageId);
            properties.Type = message.Type;
            TraceContext.Inject(properties, Activity.Current?.Id ?? message.TraceParent);

            confirms.Add(channel.BasicPublishAsync(
                exchange: string.Empty,
                routingKey: PromoTopology.RequestsQueue,
                mandatory: true,
                basicProperties: properties,
                body: Encoding.UTF8.GetBytes(message.Payload),
                cancellationToken: cancellationToken).AsTask());
        }

        await Task.WhenAll(confirms);

        var first = pending[0].Id;
        var last = pending[^1].Id;
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Outbox
            .Where(m => m.Id >= first && m.Id <= last && m.SentAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.SentAt, now), cancellationToken);

        logger.LogDebug("Published {Count} outbox message(s) {First}..{Last}", pending.Count, first, last);
        return pending.Count;
    }
}
