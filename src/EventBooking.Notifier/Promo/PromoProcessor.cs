using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using EventBooking.Messaging;
using EventBooking.Notifier.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// Takes promo requests in arrival order (single active consumer, one processing loop, manual acks), shows the
/// visible steps, decides, stores the decisions, announces them, and only then acknowledges the requests.
/// Requests that are already waiting are handled as a batch: one SQLite transaction for all their decisions, their
/// announcements confirmed together, one acknowledgement up to the last; the order inside and across batches is
/// the delivery order. A crash at any point is safe: unacknowledged requests come back, find their stored
/// decisions (if any) and announce those same decisions again.
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

    /// <summary>A delivery copied out of the consumer callback (the client reuses the body's memory afterwards).</summary>
    private sealed record Delivery(ulong Tag, IReadOnlyBasicProperties Properties, byte[] Body);

    private sealed record Request(Delivery Delivery, PromoRequested Message);

    private readonly Channel<Delivery> _inbox = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

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
        // More than one in flight lets the broker send ahead while a batch is stored; order still holds, because
        // one consumer gets them in queue order and one loop handles them in that order.
        await consumerChannel.BasicQosAsync(prefetchSize: 0, prefetchCount: options.CurrentValue.Prefetch, global: false, stoppingToken);

        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += (_, delivery) =>
            _inbox.Writer.WriteAsync(new Delivery(delivery.DeliveryTag, delivery.BasicProperties, delivery.Body.ToArray()), stoppingToken).AsTask();
        await consumerChannel.BasicConsumeAsync(PromoTopology.RequestsQueue, autoAck: false, consumer, stoppingToken);
        logger.LogInformation("Waiting for promo requests on {Queue}", PromoTopology.RequestsQueue);

        var batch = new List<Delivery>();
        while (await _inbox.Reader.WaitToReadAsync(stoppingToken))
        {
            // Visible steps take seconds each: then one at a time, so nobody waits for a whole batch's steps.
            var maxBatch = options.CurrentValue.StepDelay > TimeSpan.Zero ? 1 : options.CurrentValue.MaxBatch;
            batch.Clear();
            while (batch.Count < maxBatch && _inbox.Reader.TryRead(out var delivery))
            {
                batch.Add(delivery);
            }

            await HandleAsync(consumerChannel, batch, stoppingToken);
        }
    }

    private async Task HandleAsync(IChannel channel, List<Delivery> deliveries, CancellationToken stoppingToken)
    {
        var requests = new List<Request>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            if (Parse(delivery) is { } message)
            {
                requests.Add(new Request(delivery, message));
            }
            else
            {
                await SettleAsync(() => channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: false, stoppingToken), 1);
            }
        }

        if (requests.Count > 0)
        {
            await HandleWithRetriesAsync(channel, requests, stoppingToken);
        }
    }

    private async Task HandleWithRetriesAsync(IChannel channel, List<Request> requests, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ProcessAsync(requests, stoppingToken);
                // Everything up to the last tag is decided, stored and announced (unreadable ones were nacked).
                await SettleAsync(() => channel.BasicAckAsync(requests[^1].Delivery.Tag, multiple: true, stoppingToken), requests.Count);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: leave them unacknowledged; the broker gives them to the next consumer.
                return;
            }
            catch (Exception ex) when (attempt < options.CurrentValue.MaxAttempts)
            {
                logger.LogWarning(ex, "Promo requests #{First}..#{Last} failed (attempt {Attempt}); retrying.",
                    requests[0].Message.Sequence, requests[^1].Message.Sequence, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), stoppingToken);
            }
            catch (Exception ex) when (requests.Count > 1)
            {
                // One bad request must not sink the others: one at a time, in order, so only it is given up on.
                logger.LogWarning(ex, "Promo requests #{First}..#{Last} keep failing together; handling them one by one.",
                    requests[0].Message.Sequence, requests[^1].Message.Sequence);
                foreach (var request in requests)
                {
                    await HandleWithRetriesAsync(channel, [request], stoppingToken);
                }

                return;
            }
            catch (Exception ex)
            {
                // Given up: the dead-letter queue keeps the request and the API reports it as Failed.
                var request = requests[0];
                logger.LogError(ex, "Promo request #{Sequence} failed {Attempts} times: dead-lettered.", request.Message.Sequence, attempt);
                await SettleAsync(() => channel.BasicNackAsync(request.Delivery.Tag, multiple: false, requeue: false, stoppingToken), 1);
                return;
            }
        }
    }

    private async Task ProcessAsync(List<Request> requests, CancellationToken cancellationToken)
    {
        // One span per request, each in the trace of the sign-up that queued it, kept open for the whole batch.
        var traces = requests.ToDictionary(r => r, StartProcessing);
        try
        {
            await ProcessAsync(requests, traces, cancellationToken);
        }
        catch (Exception ex)
        {
            foreach (var activity in traces.Values)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            }

            throw;
        }
        finally
        {
            foreach (var activity in traces.Values)
            {
                activity?.Dispose();
            }
        }
    }

    private async Task ProcessAsync(List<Request> requests, Dictionary<Request, Activity?> traces, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var ids = requests.Select(r => r.Message.RegistrationId).ToList();
        var earlier = await db.Decisions.AsNoTracking().Where(d => ids.Contains(d.RegistrationId)).ToDictionaryAsync(d => d.RegistrationId, cancellationToken);
        var ledger = await CodeLedger.LoadAsync(db, requests.Select(r => Normalize(r.Message.Email)), options.CurrentValue.TotalCodes, cancellationToken);
        var announcements = new List<Task>();
        var decided = new List<(Request Request, PromoDecision Decision, bool New)>(requests.Count);

        foreach (var request in requests)
        {
            if (earlier.TryGetValue(request.Message.RegistrationId, out var decision))
            {
                // A redelivery after a crash: the decision stands; say it again.
                logger.LogInformation("Promo request #{Sequence} was already decided ({Outcome}); announcing it again.", request.Message.Sequence, decision.Outcome);
                decided.Add((request, decision, false));
                continue;
            }

            metrics.QueueWait(started - request.Message.AcceptedAt);
            decision = await DecideWithStepsAsync(request.Message, traces[request], ledger, announcements, cancellationToken);
            db.Decisions.Add(decision);
            decided.Add((request, decision, true));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is SqliteException { SqliteErrorCode: 19 })
        {
            // A code collision (one in 2^60) or a duplicate: the retry finds the truth.
            throw new InvalidOperationException($"Could not store the decisions for #{requests[0].Message.Sequence}..#{requests[^1].Message.Sequence}.", ex);
        }

        await transaction.CommitAsync(cancellationToken);

        // Stored first, announced second: an announcement is never taken back.
        foreach (var (request, decision, _) in decided)
        {
            announcements.Add(AnnounceDecisionAsync(request.Message, decision, traces[request], cancellationToken));
        }

        await Task.WhenAll(announcements);

        var finished = clock.GetUtcNow().UtcDateTime;
        foreach (var (request, decision, _) in decided.Where(d => d.New))
        {
            metrics.Decided(decision.Outcome);
            metrics.Processing(finished - started);
            logger.LogInformation("Decided promo request #{Sequence} {RegistrationId}: {Outcome} (trace {TraceId})",
                request.Message.Sequence, request.Message.RegistrationId, decision.Outcome, traces[request]?.TraceId);
        }
    }

    private static Activity? StartProcessing(Request request)
    {
        var activity = ActivitySource.StartActivity(
            $"{PromoTopology.RequestsQueue} process", ActivityKind.Consumer, TraceContext.Extract(request.Delivery.Properties));
        activity?.SetTag("eventbooking.promo.registration_id", request.Message.RegistrationId);
        activity?.SetTag("eventbooking.promo.sequence", request.Message.Sequence);
        return activity;
    }

    /// <summary>
    /// The visible steps around one decision. A code only while codes remain and the email has none; the
    /// announcements are started here and confirmed with the batch's.
    /// </summary>
    private async Task<PromoDecision> DecideWithStepsAsync(
        PromoRequested request, Activity? trace, CodeLedger ledger, List<Task> announcements, CancellationToken cancellationToken)
    {
        var delay = options.CurrentValue.StepDelay;
        // Without a delay the later steps would flash by unseen and only cost pushes: one "Processing" then says
        // the request is being handled, and the decision follows.
        var visibleSteps = delay > TimeSpan.Zero;
        announcements.Add(AnnounceStepAsync(request, trace, 1, "checking-eligibility", "Checking your sign-up…", cancellationToken));
        await Task.Delay(delay, clock, cancellationToken);

        if (visibleSteps)
        {
            announcements.Add(AnnounceStepAsync(request, trace, 2, "generating-code", "Looking for a code for you…", cancellationToken));
        }

        var email = Normalize(request.Email);
        var code = ledger.TryIssue(email);
        await Task.Delay(delay, clock, cancellationToken);

        if (code is not null && visibleSteps)
        {
            announcements.Add(AnnounceStepAsync(request, trace, 3, "sending-email", $"Sending your code to {request.Email}…", cancellationToken));
            await Task.Delay(delay, clock, cancellationToken);
        }

        return new PromoDecision
        {
            RegistrationId = request.RegistrationId,
            Sequence = request.Sequence,
            EmailNormalized = email,
            Outcome = code is null ? PromoStatus.SoldOut : PromoStatus.CodeIssued,
            Code = code,
            DecidedAt = clock.GetUtcNow().UtcDateTime,
        };
    }

    private Task AnnounceStepAsync(PromoRequested request, Activity? trace, int version, string step, string message, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(request.RegistrationId, request.Sequence, PromoStatus.Processing, version, step, null, message,
            clock.GetUtcNow().UtcDateTime), trace, cancellationToken);

    private Task AnnounceDecisionAsync(PromoRequested request, PromoDecision decision, Activity? trace, CancellationToken cancellationToken) =>
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
            decision.DecidedAt), trace, cancellationToken);

    /// <summary>Starts a publish; the returned task completes when the broker confirms it.</summary>
    private Task PublishAsync(PromoStatusChanged status, Activity? trace, CancellationToken cancellationToken)
    {
        var properties = PromoTopology.PersistentJson($"{status.RegistrationId}-{status.Version}");
        TraceContext.Inject(properties, trace?.Id);
        return _publisher.BasicPublishAsync(PromoTopology.StatusExchange, string.Empty, mandatory: false, properties,
            JsonSerializer.SerializeToUtf8Bytes(status, PromoTopology.Json), cancellationToken).AsTask();
    }

    /// <summary>
    /// Acks and nacks after the work is durable. If the broker went away meanwhile, it redelivers these requests
    /// once the connection has recovered (by itself), and they find their stored decisions: the loop goes on.
    /// </summary>
    private async Task SettleAsync(Func<ValueTask> settle, int count)
    {
        try
        {
            await settle();
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException)
        {
            logger.LogWarning("Could not settle {Count} promo request(s): {Reason}. They will come again.", count, ex.Message);
        }
    }

    private PromoRequested? Parse(Delivery delivery)
    {
        try
        {
            return JsonSerializer.Deserialize<PromoRequested>(delivery.Body, PromoTopology.Json);
        }
        catch (JsonException ex)
        {
            logger.LogError(ex, "Unreadable promo request {MessageId}: dead-lettered", delivery.Properties.MessageId);
            return null;
        }
    }

    private static string Normalize(string email) => email.Trim().ToLowerInvariant();

    /// <summary>How many codes are left and which emails already hold one, read once per batch inside its transaction.</summary>
    private sealed class CodeLedger
    {
        private readonly HashSet<string> _holders;
        private int _left;

        private CodeLedger(int left, HashSet<string> holders)
        {
            _left = left;
            _holders = holders;
        }

        public static async Task<CodeLedger> LoadAsync(NotifierDbContext db, IEnumerable<string> emails, int totalCodes, CancellationToken cancellationToken)
        {
            var wanted = emails.Distinct().ToList();
            var issued = await db.Decisions.CountAsync(d => d.Code != null, cancellationToken);
            var holders = await db.Decisions.AsNoTracking()
                .Where(d => d.Code != null && wanted.Contains(d.EmailNormalized))
                .Select(d => d.EmailNormalized)
                .ToListAsync(cancellationToken);
            return new CodeLedger(totalCodes - issued, holders.ToHashSet());
        }

        public string? TryIssue(string email)
        {
            if (_left <= 0 || !_holders.Add(email))
            {
                return null;
            }

            _left--;
            return PromoCode.New();
        }
    }
}
