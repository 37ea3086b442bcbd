using System.Diagnostics;
using System.Threading.Channels;
using EventBooking.Mail;
using EventBooking.Messaging;
using EventBooking.Notifier.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Polly;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

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
    ILogger<PromoConsumer> logger) : SupervisedLoop(health, logger)
{
    public static readonly ActivitySource ActivitySource = new("EventBooking.Notifier.Promo");

    /// <summary>A delivery copied out of the consumer callback (the client reuses the body's memory afterwards).</summary>
    private sealed record Delivery(ulong Tag, IReadOnlyBasicProperties Properties, byte[] Body);

    private sealed record Waiting(Delivery Delivery, PromoRequested Request);

    protected override string Name => "promo consumer";

    // For the run below (a nested class does not see the primary constructor's parameters).
    private DecisionStore Store => store;

    private PromoMails Mails => mails;

    private ProcessingOptions Options => options.CurrentValue;

    private int TotalCodes => promotion.Value.TotalCodes;

    private NotifierMetrics Metrics => metrics;

    private TimeProvider Clock => clock;

    private ILogger Logger => logger;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not at start: while the broker is down this throws, and the loop simply tries again later.
        var connection = services.GetRequiredService<IConnection>();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await using var publisherChannel = await PromoStatusPublisher.OpenChannelAsync(connection, stoppingToken);
        var run = new Run(this, channel, new PromoStatusPublisher(publisherChannel, clock), RetryInPlace(PromoFailurePolicy.IsTransient));

        // A channel the broker closes (its consumer timeout, a lost connection) ends this run; the next one starts afresh.
        var closed = channel.ClosedByBroker();

        await PromoTopology.DeclareAsync(connection, channel, stoppingToken);
        // The broker may send ahead while a batch is stored; order holds: one consumer, one loop, delivery order.
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: options.CurrentValue.Prefetch, global: false, stoppingToken);
        await run.LoadAsync(stoppingToken);

        // Deliveries belong to this channel: a new run starts with a new inbox, and the broker sends the rest again.
        var inbox = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
            inbox.Writer.WriteAsync(new Delivery(delivery.DeliveryTag, delivery.BasicProperties, delivery.Body.ToArray()), stoppingToken).AsTask();
        await channel.BasicConsumeAsync(PromoTopology.RequestsQueue, autoAck: false, consumer, stoppingToken);
        logger.LogInformation("Waiting for promo requests on {Queue}", PromoTopology.RequestsQueue);
        Running();

        var batch = new List<Delivery>();
        while (true)
        {
            var ready = inbox.Reader.WaitToReadAsync(stoppingToken).AsTask();
            if (await Task.WhenAny(ready, closed) == closed)
            {
                await closed;
            }

            await ready;
            batch.Clear();
            while (batch.Count < options.CurrentValue.MaxBatch && inbox.Reader.TryRead(out var delivery))
            {
                batch.Add(delivery);
            }

            await run.HandleAsync(batch, stoppingToken);
        }
    }

    /// <summary>One consumer channel's worth of state: the ledger and the requests held behind a gap.</summary>
    private sealed class Run(PromoConsumer owner, IChannel channel, PromoStatusPublisher publisher, ResiliencePipeline untilDone)
    {
        private readonly List<Waiting> _held = [];
        private CodeLedger _ledger = null!;
        private Dictionary<PromoRequested, ActivityContext> _traces = [];

        private ProcessingOptions Options => owner.Options;

        public async Task LoadAsync(CancellationToken cancellationToken) =>
            _ledger = await untilDone.ExecuteAsync(token => new ValueTask<CodeLedger>(owner.Store.LoadLedgerAsync(owner.TotalCodes, token)), cancellationToken);

        public async Task HandleAsync(List<Delivery> deliveries, CancellationToken cancellationToken)
        {
            foreach (var delivery in deliveries)
            {
                if (PromoFailurePolicy.Read(delivery.Properties, delivery.Body, out var reason) is { } request)
                {
                    _held.Add(new Waiting(delivery, request));
                }
                else
                {
                    await DeadLetterAsync(delivery, reason!, cancellationToken);
                }
            }

            await untilDone.ExecuteAsync(async token =>
            {
                // The ledger was read when this run started: a standby that has just taken over (or any run after
                // another notifier decided) holds an old one. Before waiting for a sequence that was decided
                // meanwhile and will never come again, read the stored truth once more.
                if (_held.Count > 0 && _held.Min(w => w.Request.Sequence) > _ledger.LastDecided + 1)
                {
                    _ledger = await owner.Store.LoadLedgerAsync(owner.TotalCodes, token);
                }

                try
                {
                    await DecideWaitingAsync(token);
                }
                catch
                {
                    // Whatever was committed before the failure is the truth the next attempt starts from.
                    _ledger = await owner.Store.LoadLedgerAsync(owner.TotalCodes, token);
                    throw;
                }
            }, cancellationToken);

            owner.Health.Report(owner.Name, _held.Count == 0 ? HealthStatus.Healthy : HealthStatus.Degraded,
                _held.Count == 0 ? null : $"holding {_held.Count} request(s) until #{_ledger.LastDecided + 1} arrives");
        }

        private async Task DecideWaitingAsync(CancellationToken cancellationToken)
        {
            var plan = PromoDecider.Plan(_ledger, _held.Select(w => w.Request), PromoCode.New);
            _traces = _held.DistinctBy(w => w.Request).ToDictionary(w => w.Request, w => TracePropagation.Extract(w.Delivery.Properties));
            var decided = new Dictionary<string, PromoDecision>();
            var announcements = new List<Task>();

            // Winners each in a transaction of their own after their steps; sold-out decisions together, at once.
            foreach (var segment in PromoDecider.Segments(plan.Decisions))
            {
                var started = owner.Clock.GetUtcNow().UtcDateTime;
                if (segment is [{ IsWinner: true } winner])
                {
                    await ShowStepsAsync(winner.Request, cancellationToken);
                }

                var decisions = segment.Select(d => PromoDecision.From(d, owner.Clock.GetUtcNow().UtcDateTime)).ToList();
                await owner.Store.SaveAsync([.. segment.Zip(decisions, (d, decision) => owner.Mails.For(d.Request, decision, Trace(d.Request)))], cancellationToken);
                _ledger = _ledger with
                {
                    CodesLeft = _ledger.CodesLeft - decisions.Count(d => d.Code is not null),
                    Holders = _ledger.Holders.Union(decisions.Where(d => d.Code is not null).Select(d => d.EmailNormalized)),
                    LastDecided = decisions[^1].Sequence,
                };

                // Stored first, announced second: an announcement is never taken back. A winner's code mail is now
                // queued; its final status follows when the mail server has it (CodeMailOutcome).
                foreach (var (request, decision) in segment.Zip(decisions, (r, d) => (r, d)))
                {
                    decided[request.Request.RegistrationId] = decision;
                    owner.Metrics.QueueWait(started - request.Request.AcceptedAt);
                    owner.Metrics.Decided(decision.Outcome);
                    announcements.Add(AnnounceAsync(request.Request, decision, codeMail: null, cancellationToken));
                }

                owner.Logger.LogInformation("Decided promo requests #{First}..#{Last}: {Codes} code(s), {SoldOut} sold out",
                    decisions[0].Sequence, decisions[^1].Sequence, decisions.Count(d => d.Code is not null), decisions.Count(d => d.Code is null));
            }

            // Redeliveries and republished copies: the stored decision stands, said again.
            var earlier = await owner.Store.FindAsync(
                plan.Repeats.Select(r => r.RegistrationId).Where(id => !decided.ContainsKey(id)).ToHashSet(), cancellationToken);
            var codeMails = await owner.Store.SettledCodeMailsAsync(
                plan.Repeats.Select(r => r.RegistrationId).Where(id => (decided.GetValueOrDefault(id) ?? earlier.GetValueOrDefault(id))?.Code is not null).ToHashSet(),
                cancellationToken);
            foreach (var repeat in plan.Repeats)
            {
                if ((decided.GetValueOrDefault(repeat.RegistrationId) ?? earlier.GetValueOrDefault(repeat.RegistrationId)) is { } decision)
                {
                    announcements.Add(AnnounceAsync(repeat, decision, codeMails.GetValueOrDefault(repeat.RegistrationId), cancellationToken));
                }
                else
                {
                    // Its sequence was decided for another registration: a copy that does not belong to this promotion.
                    owner.Logger.LogError("Promo request #{Sequence} conflicts with a stored decision; dead-lettered.", repeat.Sequence);
                }
            }

            await Task.WhenAll(announcements);
            await SettleAsync(plan, earlier.Keys.Concat(decided.Keys).ToHashSet(), cancellationToken);
        }

        /// <summary>Acknowledges what is decided and announced; conflicting copies go to the dead letters; the rest stay held.</summary>
        private async Task SettleAsync(DecisionPlan plan, HashSet<string> announced, CancellationToken cancellationToken)
        {
            var heldNow = plan.Held.ToHashSet();
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

        private async Task ShowStepsAsync(PromoRequested request, CancellationToken cancellationToken)
        {
            var delay = Options.StepDelay;
            var trace = Trace(request);
            await publisher.StepAsync(request, 1, "checking-eligibility", "Checking your sign-up…", trace, cancellationToken);
            await Task.Delay(delay, owner.Clock, cancellationToken);
            await publisher.StepAsync(request, 2, "generating-code", "Generating your code…", trace, cancellationToken);
            await Task.Delay(delay, owner.Clock, cancellationToken);
        }

        /// <summary>
        /// Says what was decided: sold out at once; for a winner, "sending your code" until its code mail is settled
        /// (<paramref name="codeMail"/>), then the code.
        /// </summary>
        private async Task AnnounceAsync(PromoRequested request, PromoDecision decision, OutgoingMail? codeMail, CancellationToken cancellationToken)
        {
            using var activity = ActivitySource.StartActivity($"{PromoTopology.RequestsQueue} process", ActivityKind.Consumer, Trace(request));
            activity?.SetTag("eventbooking.promo.sequence", request.Sequence);
            activity?.SetTag("eventbooking.promo.outcome", decision.Outcome.ToString());
            var trace = activity?.Context ?? Trace(request);
            await (decision.Code is null ? publisher.SoldOutAsync(decision, trace, cancellationToken)
                : codeMail is null ? publisher.SendingCodeAsync(request, trace, cancellationToken)
                : publisher.CodeIssuedAsync(decision, codeMail, trace, cancellationToken));
        }

        private async Task DeadLetterAsync(Delivery delivery, string reason, CancellationToken cancellationToken)
        {
            owner.Logger.LogError("A promo request can never be processed ({Reason}): dead-lettered and announced as failed.", reason);
            // Only the notifier says Failed, and only for these, to the registration the header names (if any).
            if (delivery.Properties.Headers?.TryGetValue(PromoTopology.RegistrationHeader, out var value) == true && value is byte[] { Length: > 0 } header)
            {
                var registrationId = System.Text.Encoding.UTF8.GetString(header);
                await untilDone.ExecuteAsync(async token => await publisher.FailedAsync(registrationId, TracePropagation.Extract(delivery.Properties), token), cancellationToken);
            }

            owner.Metrics.Decided(PromoStatus.Failed);
            await channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: false, cancellationToken);
        }

        private ActivityContext Trace(PromoRequested request) => _traces.GetValueOrDefault(request);
    }
}
