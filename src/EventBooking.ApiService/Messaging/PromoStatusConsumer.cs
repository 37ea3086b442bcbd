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
using RabbitMQ.Client.Exceptions;

namespace EventBooking.ApiService.Messaging;

/// <summary>
/// Brings the notifier's statuses into the API:
/// <list type="bullet">
/// <item>from the durable <c>promo.status.store</c> queue, stores the latest status per registration (batched,
/// acknowledged only after the transaction commits, stale versions ignored);</item>
/// <item>from a queue of this process's own, bound to the same fan-out, pushes every status to the WebSockets
/// this process holds, so any number of API replicas can serve sockets;</item>
/// <item>from the dead-letter queue, marks requests the notifier gave up on as Failed.</item>
/// </list>
/// </summary>
internal sealed class PromoStatusConsumer(
    BrokerConnection broker, IServiceScopeFactory scopes, PromoStatusHub hub, AdminFeed adminFeed, ILogger<PromoStatusConsumer> logger)
    : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("EventBooking.Api.PromoStatus");

    private const int MaxBatch = 500;

    private readonly Channel<(ulong Tag, PromoStatusChanged Change)> _toStore = Channel.CreateUnbounded<(ulong, PromoStatusChanged)>(
        new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = await broker.GetAsync(stoppingToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await using var publisher = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);
        await PromoTopology.DeclareAsync(channel, stoppingToken);
        await channel.BasicQosAsync(0, MaxBatch, global: false, stoppingToken);

        var store = new AsyncEventingBasicConsumer(channel);
        store.ReceivedAsync += (_, delivery) => OnStoreDeliveryAsync(channel, delivery);
        await channel.BasicConsumeAsync(PromoTopology.StatusStoreQueue, autoAck: false, store, stoppingToken);

        // A queue of this process's own: it lives and dies with the process (and is re-created on reconnect).
        var push = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
        await channel.QueueBindAsync(push.QueueName, PromoTopology.StatusExchange, string.Empty, cancellationToken: stoppingToken);
        var pusher = new AsyncEventingBasicConsumer(channel);
        pusher.ReceivedAsync += (_, delivery) => OnPushDeliveryAsync(delivery);
        await channel.BasicConsumeAsync(push.QueueName, autoAck: true, pusher, stoppingToken);

        var deadLetters = new AsyncEventingBasicConsumer(channel);
        deadLetters.ReceivedAsync += (_, delivery) => OnDeadLetterAsync(channel, publisher, delivery, stoppingToken);
        await channel.BasicConsumeAsync(PromoTopology.DeadLetterQueue, autoAck: false, deadLetters, stoppingToken);

        await StoreLoopAsync(channel, stoppingToken);
    }

    private async Task OnStoreDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        if (Parse<PromoStatusChanged>(delivery) is { } change)
        {
            await _toStore.Writer.WriteAsync((delivery.DeliveryTag, change));
        }
        else
        {
            logger.LogError("Dropping an unreadable status message {MessageId}", delivery.BasicProperties.MessageId);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false);
        }
    }

    private Task OnPushDeliveryAsync(BasicDeliverEventArgs delivery)
    {
        if (Parse<PromoStatusChanged>(delivery) is { } change)
        {
            using var activity = ActivitySource.StartActivity("promo status push", ActivityKind.Consumer, TraceContext.Extract(delivery.BasicProperties));
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

    /// <summary>The notifier gave up on a request (or the broker's delivery limit was reached): tell everyone it failed.</summary>
    private async Task OnDeadLetterAsync(IChannel channel, IChannel publisher, BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        if (Parse<PromoRequested>(delivery) is { } request)
        {
            // One below FinalVersion: a real decision that raced with the dead-lettering still wins.
            var failed = new PromoStatusChanged(request.RegistrationId, request.Sequence, PromoStatus.Failed,
                PromoStatusChanged.FinalVersion - 1, Step: null, Code: null,
                "We could not process your request. Please contact us and quote your registration.", DateTime.UtcNow);
            var properties = PromoTopology.PersistentJson($"{request.RegistrationId}-failed");
            TraceContext.Inject(properties, Activity.Current?.Id);
            await publisher.BasicPublishAsync(PromoTopology.StatusExchange, string.Empty, mandatory: false, properties,
                JsonSerializer.SerializeToUtf8Bytes(failed, PromoTopology.Json), cancellationToken);
            logger.LogWarning("Registration {RegistrationId} (#{Sequence}) was dead-lettered and is marked Failed.", request.RegistrationId, request.Sequence);
        }
        else
        {
            logger.LogError("Discarding an unreadable dead-lettered message {MessageId}", delivery.BasicProperties.MessageId);
        }

        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, cancellationToken);
    }

    private async Task StoreLoopAsync(IChannel channel, CancellationToken stoppingToken)
    {
        var batch = new List<(ulong Tag, PromoStatusChanged Change)>(MaxBatch);
        while (await _toStore.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _toStore.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await StoreWithRetryAsync(batch, stoppingToken);
            // Acknowledged only now that the statuses are committed; a crash before this redelivers them.
            try
            {
                await channel.BasicAckAsync(batch.Max(item => item.Tag), multiple: true, stoppingToken);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException)
            {
                // The broker went away after the statuses were stored: it redelivers them once the connection has
                // recovered (by itself), and storing a status twice changes nothing. The host must not stop over it.
                logger.LogWarning("Could not acknowledge {Count} stored status(es): {Reason}. They will come again.", batch.Count, ex.Message);
            }
        }
    }

    private async Task StoreWithRetryAsync(List<(ulong Tag, PromoStatusChanged Change)> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StoreAsync(batch.Select(item => item.Change).ToList(), stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or Microsoft.Data.Sqlite.SqliteException && attempt < 10)
            {
                logger.LogWarning(ex, "Storing {Count} promo statuses failed (attempt {Attempt}); retrying.", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), stoppingToken);
            }
        }
    }

    private async Task StoreAsync(List<PromoStatusChanged> changes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        var ids = changes.Select(c => c.RegistrationId).Distinct().ToList();
        var registrations = await db.PromoRegistrations.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);

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
                hub.DecisionObserved(change.At);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        hub.QueueChanged();
    }

    private T? Parse<T>(BasicDeliverEventArgs delivery) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(delivery.Body.Span, PromoTopology.Json);
        }
        catch (JsonException ex)
        {
            logger.LogError(ex, "Unreadable {Type} message {MessageId}", typeof(T).Name, delivery.BasicProperties.MessageId);
            return null;
        }
    }
}
