using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Promo;
using EventBooking.ApiService.Realtime;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventBooking.ApiService.Messaging;

/// <summary>
/// Brings the notifier's statuses into the API. The API never makes a status up; it stores and shows the notifier's.
/// <list type="bullet">
/// <item>From the durable <c>promo.status.store</c> queue: stores the latest status per registration (batched,
/// stale versions ignored), pushes every status it stored to the sockets watching it, and acknowledges only after
/// the commit. After a restart, a reconnecting page therefore gets its final status as soon as it is stored.</item>
/// <item>From a queue of this process's own, bound to the same fan-out: pushes at once, before the store, so any
/// number of API replicas serve sockets and the back office's feed.</item>
/// </list>
/// </summary>
internal sealed class PromoStatusConsumer(
    IServiceProvider services, IServiceScopeFactory scopes, PromoStatusHub hub, AdminFeed adminFeed, LoopHealth health,
    ILogger<PromoStatusConsumer> logger)
    : BrokerLoop(services, health, logger)
{
    public static readonly ActivitySource ActivitySource = new("EventBooking.Api.PromoStatus");

    private const int MaxBatch = 500;

    protected override string Name => "promo status consumer";

    protected override async Task WorkAsync(IConnection connection, IChannel channel, CancellationToken stoppingToken)
    {
        await channel.BasicQosAsync(0, MaxBatch, global: false, stoppingToken);

        // Deliveries belong to this channel: a new run starts with a new inbox, and the broker sends the rest again.
        var toStore = Channel.CreateUnbounded<(ulong Tag, PromoStatusChanged Change)>(new UnboundedChannelOptions { SingleReader = true });
        var store = new AsyncEventingBasicConsumer(channel);
        store.ReceivedAsync += async (_, delivery) =>
        {
            if (Parse(delivery) is { } change)
            {
                await toStore.Writer.WriteAsync((delivery.DeliveryTag, change));
            }
            else
            {
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false);
            }
        };
        await channel.BasicConsumeAsync(PromoTopology.StatusStoreQueue, autoAck: false, store, stoppingToken);

        // A queue of this process's own: it lives and dies with the channel (and is declared again by the next run).
        var push = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
        await channel.QueueBindAsync(push.QueueName, PromoTopology.StatusExchange, string.Empty, cancellationToken: stoppingToken);
        var pusher = new AsyncEventingBasicConsumer(channel);
        pusher.ReceivedAsync += (_, delivery) => PushAsync(delivery);
        await channel.BasicConsumeAsync(push.QueueName, autoAck: true, pusher, stoppingToken);
        Running();

        await StoreLoopAsync(channel, toStore.Reader, stoppingToken);
    }

    private Task PushAsync(BasicDeliverEventArgs delivery)
    {
        if (Parse(delivery) is { } change)
        {
            using var activity = ActivitySource.StartActivity("promo status push", ActivityKind.Consumer, TracePropagation.Extract(delivery.BasicProperties));
            activity?.SetTag("eventbooking.promo.status", change.Status.ToString());
            var status = change.ToDocument();
            hub.Publish(status);
            if (change.IsFinal)
            {
                adminFeed.Publish("promo-decided", status);
            }
        }

        return Task.CompletedTask;
    }

    private async Task StoreLoopAsync(IChannel channel, ChannelReader<(ulong Tag, PromoStatusChanged Change)> toStore, CancellationToken stoppingToken)
    {
        // A database that is busy, locked or full delays statuses; it never drops them (they stay unacknowledged).
        var untilStored = RetryInPlace(failure => !BrokerChannels.IsBrokerFailure(failure));
        var batch = new List<(ulong Tag, PromoStatusChanged Change)>(MaxBatch);
        while (await toStore.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && toStore.TryRead(out var item))
            {
                batch.Add(item);
            }

            var changes = batch.ConvertAll(item => item.Change);
            var stored = await untilStored.ExecuteAsync(async token => await StoreAsync(changes, token), stoppingToken);
            Running();
            // Only what was committed counts: a retried attempt must not be observed twice.
            foreach (var status in stored)
            {
                hub.Publish(status);
                if (status.IsFinal)
                {
                    hub.DecisionObserved(status.At);
                }
            }

            hub.QueueChanged();

            // Acknowledged only now that the statuses are committed; a crash before this redelivers them.
            await channel.BasicAckAsync(batch.Max(item => item.Tag), multiple: true, stoppingToken);
        }
    }

    /// <summary>Applies the changes newer than what is stored; returns the documents now stored, to push.</summary>
    private async Task<List<PromoStatusDocument>> StoreAsync(List<PromoStatusChanged> changes, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await StoreOnceAsync(changes, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another replica stored a newer status for one of these since they were read: read them again.
            }
        }
    }

    private async Task<List<PromoStatusDocument>> StoreOnceAsync(List<PromoStatusChanged> changes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        var ids = changes.Select(c => c.RegistrationId).Distinct().ToList();
        var registrations = await db.PromoRegistrations.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        // What each stored change said of the codes left, which the registration does not keep: its push says it too.
        var applied = new Dictionary<PromoRegistration, int?>();

        foreach (var change in changes.OrderBy(c => c.Version))
        {
            if (!registrations.TryGetValue(change.RegistrationId, out var registration) || change.Version <= registration.StatusVersion)
            {
                continue;
            }

            registration.Status = change.Status;
            registration.StatusVersion = change.Version;
            registration.Step = change.Step;
            registration.Code = change.Code;
            registration.Message = change.Message;
            registration.UpdatedAt = change.At;
            registration.ProcessingStartedAt ??= change.Status == PromoStatus.Processing ? change.At : null;
            if (change.IsFinal)
            {
                registration.DecidedAt = change.At;
            }

            applied[registration] = change.CodesLeft;
        }

        await db.SaveChangesAsync(cancellationToken);
        return applied.Select(a => a.Key.ToDocument() with { CodesLeft = a.Value }).ToList();
    }

    private PromoStatusChanged? Parse(BasicDeliverEventArgs delivery)
    {
        try
        {
            return JsonSerializer.Deserialize<PromoStatusChanged>(delivery.Body.Span, PromoJson.Options);
        }
        catch (JsonException ex)
        {
            logger.LogError(ex, "Dropping an unreadable promo status message");
            return null;
        }
    }
}
