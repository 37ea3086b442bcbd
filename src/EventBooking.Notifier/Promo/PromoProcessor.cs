using System.Diagnostics;
using System.Text.Json;
using EventBooking.Messaging;
using EventBooking.Notifier.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// Takes promo requests one at a time, in arrival order (single active consumer, prefetch 1, manual acks),
/// shows visible steps, decides, stores the decision, announces it, and only then acknowledges the request.
/// A crash at any point is safe: an unacknowledged request comes back, finds its stored decision (if any) and
/// announces that same decision again.
/// </summary>
internal sealed class PromoProcessor(
    IServiceProvider services,
    IServiceScopeFactory scopes,
    IOptionsMonitor<PromoOptions> options,
    NotifierMetrics metrics,
    TimeProvider clock,
    ILogger<PromoProcessor> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("EventBooking.Notifier.Promo");

    private IChannel _publisher = null!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The app host starts the notifier only once the broker is healthy; the connection recovers by itself later.
        var connection = services.GetRequiredService<IConnection>();
        await using var consumerChannel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await using var publisher = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);
        _publisher = publisher;

        await PromoTopology.DeclareAsync(consumerChannel, stoppingToken);
        await consumerChannel.BasicQosAsync(prefetchSize: 0, prefetchCount: 1, global: false, stoppingToken);

        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(consumerChannel, delivery, stoppingToken);
        await consumerChannel.BasicConsumeAsync(PromoTopology.RequestsQueue, autoAck: false, consumer, stoppingToken);
        logger.LogInformation("Waiting for promo requests on {Queue}", PromoTopology.RequestsQueue);

        await Task.Delay(Timeout.Infinite, stoppingToken);
    }

    private async Task HandleAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity(
            $"{PromoTopology.RequestsQueue} process", ActivityKind.Consumer, TraceContext.Extract(delivery.BasicProperties));

        PromoRequested? request;
        try
        {
            request = JsonSerializer.Deserialize<PromoRequested>(delivery.Body.Span, PromoTopology.Json);
        }
        catch (JsonException ex)
        {
            logger.LogError(ex, "Unreadable promo request {MessageId}: dead-lettered", delivery.BasicProperties.MessageId);
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, stoppingToken);
            return;
        }

        if (request is null)
        {
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, stoppingToken);
            return;
        }

        activity?.SetTag("eventbooking.promo.registration_id", request.RegistrationId);
        activity?.SetTag("eventbooking.promo.sequence", request.Sequence);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ProcessAsync(request, stoppingToken);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: leave it unacknowledged; the broker gives it to the next consumer.
                return;
            }
            catch (Exception ex) when (attempt < options.CurrentValue.MaxAttempts)
            {
                logger.LogWarning(ex, "Promo request #{Sequence} failed (attempt {Attempt}); retrying.", request.Sequence, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), stoppingToken);
            }
            catch (Exception ex)
            {
                // Given up: the dead-letter queue keeps the request and the API reports it as Failed.
                logger.LogError(ex, "Promo request #{Sequence} failed {Attempts} times: dead-lettered.", request.Sequence, attempt);
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false, stoppingToken);
                return;
            }
        }
    }

    private async Task ProcessAsync(PromoRequested request, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        var earlier = await FindDecisionAsync(request.RegistrationId, cancellationToken);
        if (earlier is not null)
        {
            // A redelivery after a crash: the decision stands; say it again.
            logger.LogInformation("Promo request #{Sequence} was already decided ({Outcome}); announcing it again.", request.Sequence, earlier.Outcome);
            await AnnounceDecisionAsync(request, earlier, cancellationToken);
            return;
        }

        metrics.QueueWait(started - request.AcceptedAt);
        var delay = options.CurrentValue.StepDelay;

        await AnnounceStepAsync(request, 1, "checking-eligibility", "Checking your sign-up…", cancellationToken);
        await Task.Delay(delay, clock, cancellationToken);

        await AnnounceStepAsync(request, 2, "generating-code", "Looking for a code for you…", cancellationToken);
        var decision = await DecideAsync(request, cancellationToken);
        await Task.Delay(delay, clock, cancellationToken);

        if (decision.Outcome == PromoStatus.CodeIssued)
        {
            await AnnounceStepAsync(request, 3, "sending-email", $"Sending your code to {request.Email}…", cancellationToken);
            await Task.Delay(delay, clock, cancellationToken);
        }

        await AnnounceDecisionAsync(request, decision, cancellationToken);
        metrics.Decided(decision.Outcome);
        metrics.Processing(clock.GetUtcNow().UtcDateTime - started);
        logger.LogInformation("Decided promo request #{Sequence} {RegistrationId}: {Outcome} (trace {TraceId})",
            request.Sequence, request.RegistrationId, decision.Outcome, Activity.Current?.TraceId);
    }

    /// <summary>Decides and stores the decision in one transaction; a code only while codes remain and the email has none.</summary>
    private async Task<PromoDecision> DecideAsync(PromoRequested request, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDbContext>();
        var email = request.Email.Trim().ToLowerInvariant();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var issued = await db.Decisions.CountAsync(d => d.Code != null, cancellationToken);
        var emailHasCode = await db.Decisions.AnyAsync(d => d.EmailNormalized == email && d.Code != null, cancellationToken);
        var wins = issued < options.CurrentValue.TotalCodes && !emailHasCode;

        var decision = new PromoDecision
        {
            RegistrationId = request.RegistrationId,
            Sequence = request.Sequence,
            EmailNormalized = email,
            Outcome = wins ? PromoStatus.CodeIssued : PromoStatus.SoldOut,
            Code = wins ? PromoCode.New() : null,
            DecidedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Decisions.Add(decision);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is SqliteException { SqliteErrorCode: 19 })
        {
            // A code collision (one in 2^60) or a duplicate: the retry loop tries again and finds the truth.
            throw new InvalidOperationException($"Could not store the decision for #{request.Sequence}.", ex);
        }

        await transaction.CommitAsync(cancellationToken);
        return decision;
    }

    private async Task<PromoDecision?> FindDecisionAsync(string registrationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDbContext>();
        return await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.RegistrationId == registrationId, cancellationToken);
    }

    private Task AnnounceStepAsync(PromoRequested request, int version, string step, string message, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(request.RegistrationId, request.Sequence, PromoStatus.Processing, version, step, null, message,
            clock.GetUtcNow().UtcDateTime), cancellationToken);

    private Task AnnounceDecisionAsync(PromoRequested request, PromoDecision decision, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(
            request.RegistrationId,
            request.Sequence,
            decision.Outcome,
            PromoStatusChanged.FinalVersion,
            Step: null,
            decision.Code,
            decision.Outcome == PromoStatus.CodeIssued
                ? $"Congratulations, {request.Name}! Your promo code is {decision.Code}. We have also sent it to {request.Email}."
                : "Sorry, all promo codes have been given out. Thank you for signing up — watch out for our next promotion!",
            decision.DecidedAt), cancellationToken);

    private async Task PublishAsync(PromoStatusChanged status, CancellationToken cancellationToken)
    {
        var properties = PromoTopology.PersistentJson($"{status.RegistrationId}-{status.Version}");
        TraceContext.Inject(properties, Activity.Current?.Id);
        await _publisher.BasicPublishAsync(PromoTopology.StatusExchange, string.Empty, mandatory: false, properties,
            JsonSerializer.SerializeToUtf8Bytes(status, PromoTopology.Json), cancellationToken);
    }
}
