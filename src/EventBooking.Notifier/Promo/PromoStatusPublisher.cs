using System.Diagnostics;
using System.Text.Json;
using EventBooking.Mail;
using EventBooking.Messaging;
using RabbitMQ.Client;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// Announces statuses on the status fan-out, persistent and confirmed: each returned task completes when the broker
/// has the status, so a batch's announcements are awaited together. The wording clients read lives here.
/// </summary>
internal sealed class PromoStatusPublisher(IChannel channel, TimeProvider clock)
{
    public static Task<IChannel> OpenChannelAsync(IConnection connection, CancellationToken cancellationToken) =>
        connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);

    /// <summary>
    /// Says what was decided, in the request's trace: sold out at once; for a winner, "sending your code" until its
    /// code mail is settled (<paramref name="codeMail"/>), then the code. An outcome said at once tells the
    /// <paramref name="codesLeft"/> the ledger has now.
    /// </summary>
    public async Task AnnounceAsync(
        PromoRequested request, PromoDecision decision, OutgoingMail? codeMail, int codesLeft, ActivityContext requestTrace, CancellationToken cancellationToken)
    {
        using var activity = PromoConsumer.ActivitySource.StartActivity($"{PromoTopology.RequestsQueue} process", ActivityKind.Consumer, requestTrace);
        activity?.SetTag("eventbooking.promo.sequence", request.Sequence);
        activity?.SetTag("eventbooking.promo.outcome", decision.Outcome.ToString());
        var trace = activity?.Context ?? requestTrace;
        await (decision.Outcome == PromoStatus.Failed ? SetAsideAsync(decision, codesLeft, trace, cancellationToken)
            : decision.Outcome == PromoStatus.Expired ? ExpiredAsync(decision, codesLeft, trace, cancellationToken)
            : decision.Code is null ? SoldOutAsync(decision, codesLeft, trace, cancellationToken)
            : codeMail is null ? SendingCodeAsync(request, trace, cancellationToken)
            : CodeIssuedAsync(decision, codeMail, trace, cancellationToken));
    }

    public Task StepAsync(PromoRequested request, int version, string step, string message, ActivityContext trace, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(request.RegistrationId, request.Sequence, PromoStatus.Processing, version, step, null, message,
            clock.GetUtcNow().UtcDateTime), trace, cancellationToken);

    /// <summary>The winner's last step: the decision and its code mail are stored, and the mail is on its way.</summary>
    public Task SendingCodeAsync(PromoRequested request, ActivityContext trace, CancellationToken cancellationToken) =>
        StepAsync(request, 3, "sending-email", $"Sending your code to {request.Email}…", trace, cancellationToken);

    /// <summary>The winner's final status, once the mail server took the code mail (or refused it for good).</summary>
    public Task CodeIssuedAsync(PromoDecision decision, OutgoingMail mail, ActivityContext trace, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(
            decision.RegistrationId,
            decision.Sequence,
            PromoStatus.CodeIssued,
            PromoStatusChanged.FinalVersion,
            Step: null,
            decision.Code,
            mail.Delivered
                ? $"Congratulations! Your promo code is {decision.Code}. We have sent it to {mail.Recipient}."
                : $"Congratulations! Your promo code is {decision.Code}. We could not email it to {mail.Recipient}, so please note it down from this page.",
            clock.GetUtcNow().UtcDateTime), trace, cancellationToken);

    public Task SoldOutAsync(PromoDecision decision, int codesLeft, ActivityContext trace, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(
            decision.RegistrationId,
            decision.Sequence,
            PromoStatus.SoldOut,
            PromoStatusChanged.FinalVersion,
            Step: null,
            Code: null,
            "Sorry, all promo codes have been given out. Thank you for signing up — watch out for our next promotion!",
            decision.DecidedAt,
            codesLeft), trace, cancellationToken);

    /// <summary>A sign-up whose address was not confirmed in time: its place is given up.</summary>
    public Task ExpiredAsync(PromoDecision decision, int codesLeft, ActivityContext trace, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(decision.RegistrationId, decision.Sequence, PromoStatus.Expired, PromoStatusChanged.FinalVersion,
            Step: null, Code: null,
            "Your place has lapsed: the address was not confirmed in time, so the queue moved on. The promotion allows one place per person.",
            decision.DecidedAt, codesLeft), trace, cancellationToken);

    /// <summary>A request set aside: it could never be processed, and the queue went on without it.</summary>
    public Task SetAsideAsync(PromoDecision decision, int codesLeft, ActivityContext trace, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(decision.RegistrationId, decision.Sequence, PromoStatus.Failed, PromoStatusChanged.FinalVersion,
            Step: null, Code: null,
            "We could not process your sign-up: no mail can be sent to the address it gives. Please contact us and quote your registration.",
            decision.DecidedAt, codesLeft), trace, cancellationToken);

    /// <summary>A request that can never be processed, known only by its message id (the registration id).</summary>
    public Task FailedAsync(string registrationId, ActivityContext trace, CancellationToken cancellationToken) =>
        PublishAsync(new PromoStatusChanged(registrationId, 0, PromoStatus.Failed, PromoStatusChanged.FinalVersion, Step: null, Code: null,
            "We could not process your request. Please contact us and quote your registration.", clock.GetUtcNow().UtcDateTime),
            trace, cancellationToken);

    /// <summary>
    /// Puts a request back at the end of its queue, persistent and confirmed like the statuses: how requests held
    /// behind a gap make room for the one they wait for (<see cref="HeldDeliveries.MoveBackAsync"/>).
    /// </summary>
    public Task RequeueAsync(BrokerDelivery delivery, CancellationToken cancellationToken) =>
        channel.BasicPublishAsync(string.Empty, PromoTopology.RequestsQueue, mandatory: false, new BasicProperties(delivery.Properties), delivery.Body,
            cancellationToken).AsTask();

    private Task PublishAsync(PromoStatusChanged status, ActivityContext trace, CancellationToken cancellationToken)
    {
        var properties = PromoTopology.PersistentJson($"promo-status-{status.Sequence}-{status.Version}");
        // In the sign-up's trace, whatever is current: a decision batch, or the mail sender's outcome for a winner.
        using var activity = PromoConsumer.ActivitySource.StartActivity($"{PromoTopology.StatusExchange} publish", ActivityKind.Producer, trace);
        TracePropagation.Inject(properties, activity?.Context ?? trace);
        return channel.BasicPublishAsync(PromoTopology.StatusExchange, string.Empty, mandatory: false, properties,
            JsonSerializer.SerializeToUtf8Bytes(status, PromoJson.Options), cancellationToken).AsTask();
    }
}
