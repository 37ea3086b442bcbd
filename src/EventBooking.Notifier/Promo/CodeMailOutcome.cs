using EventBooking.Mail;
using EventBooking.Messaging;
using EventBooking.Notifier.Data;
using RabbitMQ.Client;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// Completes a winner's status once the mail server has the code mail: only then does the page say it was sent.
/// Publishes on a channel of its own (the consumer's comes and goes with its runs); a failure leaves the mail
/// unsettled and the mail sender tells it again.
/// </summary>
internal sealed class CodeMailOutcome(IServiceProvider services, DecisionStore store, TimeProvider clock) : IMailOutcomeObserver, IAsyncDisposable
{
    private IChannel? _channel;

    public async Task MailSettledAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var decision = await store.FindAsync(mail.About!, cancellationToken)
            ?? throw new InvalidOperationException($"Mail {mail.Id} names a registration without a decision.");
        try
        {
            _channel ??= await PromoStatusPublisher.OpenChannelAsync(services.GetRequiredService<IConnection>(), cancellationToken);
            // In the sign-up's trace (kept with the mail), whichever pass or replica tells the outcome.
            await new PromoStatusPublisher(_channel, clock).CodeIssuedAsync(decision, mail, TracePropagation.Parse(mail.TraceParent), cancellationToken);
        }
        catch
        {
            // The next attempt opens a new channel: this one may be closed by the broker or half broken.
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            _channel = null;
            await channel.DisposeAsync();
        }
    }
}
