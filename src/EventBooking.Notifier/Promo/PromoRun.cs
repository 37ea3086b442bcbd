using System.Diagnostics;
using EventBooking.Messaging;
using EventBooking.Notifier.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Polly;
using RabbitMQ.Client;

namespace EventBooking.Notifier.Promo;

/// <summary>What a run needs from the notifier, whatever channel it runs on.</summary>
internal sealed record PromoRunServices(
    DecisionStore Store, PromoMails Mails, IOptionsMonitor<ProcessingOptions> Options, int TotalCodes, NotifierMetrics Metrics,
    TimeProvider Clock, ILogger Logger);

/// <summary>
/// One consumer channel's worth of state: the ledger and the requests held behind a gap. Deliveries belong to their
/// channel, so a new channel starts a new run (the broker sends again what this one did not acknowledge).
/// </summary>
internal sealed class PromoRun(
    PromoRunServices notifier, IChannel channel, PromoStatusPublisher publisher, ResiliencePipeline untilDone,
    Action<HealthStatus, string?> reportHealth)
{
    private readonly SortedSet<long> _setAside = [];
    private CodeLedger _ledger = null!;
    private Dictionary<PromoRequested, ActivityContext> _traces = [];

    private ProcessingOptions Options => notifier.Options.CurrentValue;

    /// <summary>Requests held, unacknowledged, behind a gap.</summary>
    public HeldDeliveries Held { get; } = new(channel, publisher, notifier.Logger);

    public async Task LoadAsync(CancellationToken cancellationToken) =>
        _ledger = await untilDone.ExecuteAsync(token => new ValueTask<CodeLedger>(notifier.Store.LoadLedgerAsync(notifier.TotalCodes, token)), cancellationToken);

    public async Task HandleAsync(List<BrokerDelivery> deliveries, CancellationToken cancellationToken)
    {
        foreach (var delivery in deliveries)
        {
            if (PromoFailurePolicy.Read(delivery.Properties, delivery.Body, out var reason) is { } request)
            {
                Held.Add(delivery, request);
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
            if (Held.Count > 0 && Held.Requests.Min(r => r.Sequence) > _ledger.LastDecided + 1)
            {
                _ledger = await notifier.Store.LoadLedgerAsync(notifier.TotalCodes, token);
            }

            try
            {
                // Again while a winner was set aside: its code goes to the next person, so the rest is planned anew.
                while (await DecideWaitingAsync(token))
                {
                }
            }
            catch
            {
                // Whatever was committed before the failure is the truth the next attempt starts from.
                _ledger = await notifier.Store.LoadLedgerAsync(notifier.TotalCodes, token);
                throw;
            }
        }, cancellationToken);

        reportHealth(Held.Count == 0 && _setAside.Count == 0 ? HealthStatus.Healthy : HealthStatus.Degraded,
            Held.Count > 0 ? $"holding {Held.Count} request(s) until #{_ledger.LastDecided + 1} arrives"
            : _setAside.Count > 0 ? $"set aside as failed (see the error log): #{string.Join(", #", _setAside)}"
            : null);
    }

    /// <summary>Decides what is next in sequence; true when a winner was set aside and the rest must be planned again.</summary>
    private async Task<bool> DecideWaitingAsync(CancellationToken cancellationToken)
    {
        var plan = PromoDecider.Plan(_ledger, Held.Requests, PromoCode.New);
        var replan = false;
        var unsaved = plan.Decisions.Select(d => d.Request).ToHashSet();
        _traces = Held.Traces();
        var decided = new Dictionary<string, PromoDecision>();
        var announcements = new List<Task>();

        // Winners each in a transaction of their own after their steps; sold-out decisions together, at once.
        foreach (var segment in PromoDecider.Segments(plan.Decisions))
        {
            var started = notifier.Clock.GetUtcNow().UtcDateTime;
            if (segment is [{ IsWinner: true } winner])
            {
                await ShowStepsAsync(winner.Request, cancellationToken);
            }

            var mails = segment.Select(d => MailOrSetAside(d, PromoDecision.From(d, notifier.Clock.GetUtcNow().UtcDateTime))).ToList();
            var decisions = mails.ConvertAll(m => m.Decision);
            await notifier.Store.SaveAsync(mails, cancellationToken);
            unsaved.ExceptWith(segment.Select(d => d.Request));
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
                notifier.Metrics.QueueWait(started - request.Request.AcceptedAt);
                notifier.Metrics.Decided(decision.Outcome);
                if (!request.Adopted)
                {
                    announcements.Add(publisher.AnnounceAsync(request.Request, decision, codeMail: null, _ledger.CodesLeft, Trace(request.Request), cancellationToken));
                }
            }

            notifier.Logger.LogInformation("Decided promo requests #{First}..#{Last}: {Codes} code(s), {SoldOut} sold out",
                decisions[0].Sequence, decisions[^1].Sequence, decisions.Count(d => d.Code is not null), decisions.Count(d => d.Outcome == PromoStatus.SoldOut));
            if (segment.Zip(decisions).Any(p => p.First.IsWinner && p.Second.Outcome == PromoStatus.Failed))
            {
                replan = true;
                break;
            }
        }

        // Redeliveries and republished copies: the stored decision stands, said again.
        var earlier = await notifier.Store.FindAsync(
            plan.Repeats.Select(r => r.RegistrationId).Where(id => !decided.ContainsKey(id)).ToHashSet(), cancellationToken);
        var codeMails = await notifier.Store.SettledCodeMailsAsync(
            plan.Repeats.Select(r => r.RegistrationId).Where(id => (decided.GetValueOrDefault(id) ?? earlier.GetValueOrDefault(id))?.Code is not null).ToHashSet(),
            cancellationToken);
        foreach (var repeat in plan.Repeats)
        {
            if ((decided.GetValueOrDefault(repeat.RegistrationId) ?? earlier.GetValueOrDefault(repeat.RegistrationId)) is { } decision)
            {
                if (repeat.Told?.IsFinal() == true)
                {
                    continue; // Sent again after a restore by an API that already stored its final status.
                }

                announcements.Add(publisher.AnnounceAsync(repeat, decision, codeMails.GetValueOrDefault(repeat.RegistrationId), _ledger.CodesLeft, Trace(repeat),
                    cancellationToken));
            }
            else
            {
                // Its sequence was decided for another registration: a copy that does not belong to this promotion.
                notifier.Logger.LogError("Promo request #{Sequence} conflicts with a stored decision; dead-lettered.", repeat.Sequence);
            }
        }

        await Task.WhenAll(announcements);
        await Held.SettleAsync([.. plan.Held, .. unsaved], earlier.Keys.Concat(decided.Keys).ToHashSet(), cancellationToken);
        return replan;
    }

    /// <summary>
    /// The decision with its mail; or, when no mail can be made for it (a defect of this request, not a fault of the
    /// infrastructure), the request set aside: decided Failed, without mail, so the queue goes on past it.
    /// </summary>
    private DecisionMail MailOrSetAside(NewDecision planned, PromoDecision decision)
    {
        if (planned.Adopted)
        {
            return new DecisionMail(decision, Message: null, PromoMails.NoMail, Trace(planned.Request)); // Its mail went out before.
        }

        try
        {
            return notifier.Mails.For(planned.Request, decision, Trace(planned.Request));
        }
        catch (Exception defect) when (PromoFailurePolicy.IsDefect(defect))
        {
            notifier.Logger.LogError(defect, "Promo request #{Sequence} can never be processed (no mail can be written for it): set aside as failed; the queue goes on.",
                planned.Request.Sequence);
            _setAside.Add(planned.Request.Sequence);
            return new DecisionMail(decision.AsFailed(), Message: null, PromoMails.NoMail, Trace(planned.Request));
        }
    }

    private async Task ShowStepsAsync(PromoRequested request, CancellationToken cancellationToken)
    {
        var delay = Options.StepDelay;
        var trace = Trace(request);
        await publisher.StepAsync(request, 1, "checking-eligibility", "Checking your sign-up…", trace, cancellationToken);
        await Task.Delay(delay, notifier.Clock, cancellationToken);
        await publisher.StepAsync(request, 2, "generating-code", "Generating your code…", trace, cancellationToken);
        await Task.Delay(delay, notifier.Clock, cancellationToken);
    }

    private async Task DeadLetterAsync(BrokerDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        notifier.Logger.LogError("A promo request can never be processed ({Reason}): dead-lettered and announced as failed.", reason);
        // Only the notifier says Failed, and only for these, to the registration the header names (if any).
        if (delivery.Properties.Headers?.TryGetValue(PromoTopology.RegistrationHeader, out var value) == true && value is byte[] { Length: > 0 } header)
        {
            var registrationId = System.Text.Encoding.UTF8.GetString(header);
            await untilDone.ExecuteAsync(async token => await publisher.FailedAsync(registrationId, TracePropagation.Extract(delivery.Properties), token), cancellationToken);
        }

        notifier.Metrics.Decided(PromoStatus.Failed);
        await channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: false, cancellationToken);
    }

    private ActivityContext Trace(PromoRequested request) => _traces.GetValueOrDefault(request);
}
