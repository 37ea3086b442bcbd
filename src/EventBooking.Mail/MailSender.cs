using System.Data.Common;
using EventBooking.Data;
using EventBooking.ServiceDefaults;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace EventBooking.Mail;

/// <summary>Told once per mail that has an <see cref="OutgoingMail.About"/>: it was accepted, or refused for good.</summary>
public interface IMailOutcomeObserver
{
    Task MailSettledAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>Wakes the mail sender when a transaction that queued mail commits.</summary>
public sealed class MailSignal : WakeUpSignal;

/// <summary>
/// Sends the outbox in order over one SMTP connection. A mail server that is down or answers 4xx makes the sender
/// wait and try again (Polly, growing pauses), holding its place; a 5xx refusal is stored as the mail's failure.
/// Each mail is marked sent the moment the server accepts it, so only a crash inside that moment sends it again,
/// with the same Message-Id.
/// </summary>
public sealed class MailSender<TContext>(
    IServiceScopeFactory scopes,
    MailSignal signal,
    IOptions<MailOptions> options,
    TimeProvider clock,
    IEnumerable<IMailOutcomeObserver> observers,
    LoopHealth health,
    ILogger<MailSender<TContext>> logger) : SupervisedLoop(health, logger)
    where TContext : DbContext
{
    public static readonly System.Diagnostics.ActivitySource ActivitySource = new("EventBooking.Mail");

    private const int BatchSize = 50;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    private readonly IMailOutcomeObserver? _observer = observers.SingleOrDefault();
    private SmtpClient? _smtp;
    private bool _outcomeWaiting;

    protected override string Name => "mail sender";

    protected override HealthStatus StatusWhileDown(Exception failure) => HealthStatus.Degraded;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        // One sender per database for all of a service's replicas: two would send each mail twice.
        await using var lease = await TakeLeaseAsync(stoppingToken);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        stoppingToken = working.Token;

        var untilAccepted = RetryInPlace(IsTransient);
        var untilStored = RetryInPlace(failure => failure is DbException or DbUpdateException or TimeoutException);
        Running();
        try
        {
            while (true)
            {
                var (toSend, toSettle) = await untilStored.ExecuteAsync(LoadAsync, stoppingToken);
                foreach (var mail in toSend)
                {
                    using var activity = ActivitySource.StartActivity("smtp send", System.Diagnostics.ActivityKind.Client, mail.TraceParent);
                    activity?.SetTag("eventbooking.mail.kind", mail.Kind);
                    var refusal = await untilAccepted.ExecuteAsync(async token => await SendAsync(mail, token), stoppingToken);
                    await untilStored.ExecuteAsync(async token => await RecordAsync(mail, refusal, token), stoppingToken);
                    Running();
                    await untilStored.ExecuteAsync(async token => await SettleAsync(mail, token), stoppingToken);
                }

                foreach (var mail in toSettle)
                {
                    await untilStored.ExecuteAsync(async token => await SettleAsync(mail, token), stoppingToken);
                }

                if (toSend.Count < BatchSize)
                {
                    if (toSend.Count == 0)
                    {
                        await DisconnectAsync(stoppingToken);
                    }

                    await signal.WaitAsync(IdlePoll, stoppingToken);
                }
            }
        }
        finally
        {
            _smtp?.Dispose();
            _smtp = null;
        }
    }

    private async Task<DatabaseLease> TakeLeaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await DatabaseLease.TakeAsync(scope.ServiceProvider.GetRequiredService<TContext>(), AdvisoryLocks.MailSender,
            () => Health.Report(Name, HealthStatus.Healthy, "standing by: another replica sends"), cancellationToken);
    }

    /// <summary>Mails to send, and sent or refused mails whose outcome their service has not been told yet.</summary>
    private async ValueTask<(List<OutgoingMail> ToSend, List<OutgoingMail> ToSettle)> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var mails = scope.ServiceProvider.GetRequiredService<TContext>().Set<OutgoingMail>().AsNoTracking();
        var toSend = await mails.Where(m => m.SentAt == null && m.FailedAt == null).OrderBy(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var toSettle = await mails.Where(m => m.SettledAt == null && (m.SentAt != null || m.FailedAt != null))
            .OrderBy(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        return (toSend, toSettle);
    }

    /// <summary>Sends one mail; null when accepted, the server's answer when it refused the mail for good.</summary>
    private async ValueTask<string?> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        try
        {
            var smtp = await ConnectedAsync(cancellationToken);
            using var mime = new MemoryStream(mail.Mime);
            var message = await MimeMessage.LoadAsync(mime, cancellationToken);
            await smtp.SendAsync(message, cancellationToken);
            logger.LogInformation("Mail {MailId} ({Kind}) accepted by the mail server", mail.Id, mail.Kind);
            return null;
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500)
        {
            logger.LogError("Mail {MailId} ({Kind}) refused for good: {Status} {Reason}", mail.Id, mail.Kind, (int)refused.StatusCode, refused.Message);
            return $"{(int)refused.StatusCode} {refused.Message}";
        }
        catch (Exception failure) when (IsTransient(failure))
        {
            // The connection may be half open: the next attempt starts with a new one.
            _smtp?.Dispose();
            _smtp = null;
            throw;
        }
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_smtp is { IsConnected: true })
        {
            return _smtp;
        }

        var settings = options.Value;
        _smtp?.Dispose();
        _smtp = new SmtpClient { Timeout = 30_000 };
        await _smtp.ConnectAsync(settings.Host, settings.Port, settings.Security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await _smtp.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, cancellationToken);
        }

        return _smtp;
    }

    private async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        if (_smtp is { IsConnected: true })
        {
            await _smtp.DisconnectAsync(quit: true, cancellationToken);
        }
    }

    private async ValueTask RecordAsync(OutgoingMail mail, string? refusal, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        mail.SentAt = refusal is null ? now : null;
        mail.FailedAt = refusal is null ? null : now;
        mail.Failure = refusal?[..Math.Min(refusal.Length, 500)];
        await db.Set<OutgoingMail>().Where(m => m.Id == mail.Id).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.SentAt, mail.SentAt)
            .SetProperty(m => m.FailedAt, mail.FailedAt)
            .SetProperty(m => m.Failure, mail.Failure), cancellationToken);
    }

    /// <summary>Tells the service the outcome (if it waits for one), then marks the mail settled.</summary>
    private async ValueTask SettleAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        if (mail.About is not null && _observer is not null)
        {
            try
            {
                await _observer.MailSettledAsync(mail, cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // Mail keeps flowing; the outcome is told again on the next pass (one warning per outage, not per pass).
                if (!_outcomeWaiting)
                {
                    logger.LogWarning(failure, "The outcome of mail {MailId} could not be told yet; trying again every pass.", mail.Id);
                }

                _outcomeWaiting = true;
                Health.Report(Name, HealthStatus.Degraded, $"mail flows; telling its outcome waits: {failure.Message}");
                return;
            }

            if (_outcomeWaiting)
            {
                _outcomeWaiting = false;
                Running();
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Set<OutgoingMail>().Where(m => m.Id == mail.Id).ExecuteUpdateAsync(set => set.SetProperty(m => m.SettledAt, now), cancellationToken);
    }

    /// <summary>What waits, not fails: the server unreachable or busy (4xx), the connection lost, a timeout.</summary>
    internal static bool IsTransient(Exception failure) => failure switch
    {
        SmtpCommandException command => (int)command.StatusCode < 500,
        SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException => true,
        MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException => true,
        IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => false,
    };
}
