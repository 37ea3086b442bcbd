using EventBooking.LoadTest;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace EventBooking.Tests.Performance;

/// <summary>The load test's <c>--mail-sink</c>: a relay that keeps only what people need from their mail.</summary>
public sealed class MailSinkTests
{
    [Fact]
    public async Task The_sink_accepts_every_mail_and_gives_each_person_the_link_of_their_own_confirmation()
    {
        await using var sink = MailSink.Start();
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", sink.Port, SecureSocketOptions.None);

        await smtp.SendAsync(Mail("ada@gmail.com", "Confirm your address for the EventBooking promo", "http://localhost:8080/promo#confirm=Ab-9_z"));
        await smtp.SendAsync(Mail("grace@gmail.com", "Confirm your address for the EventBooking promo", "http://localhost:8080/promo#confirm=Xy-1_q"));
        await smtp.SendAsync(Mail("ada@gmail.com", "Your EventBooking promo code", "http://localhost:8080/promo#confirm=not-a-confirmation"));
        await smtp.DisconnectAsync(quit: true);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("Ab-9_z", await sink.ConfirmTokenAsync("Ada@gmail.com", timeout.Token));
        Assert.Equal("Xy-1_q", await sink.ConfirmTokenAsync("grace@gmail.com", timeout.Token));
        Assert.Equal(3, sink.Mails);
        Assert.Contains("--Mail:Port=" + sink.Port, sink.AppHostArguments);
    }

    private static MimeMessage Mail(string to, string subject, string link)
    {
        var mail = new MimeMessage { Subject = subject };
        mail.From.Add(MailboxAddress.Parse("hello@eventbooking.local"));
        mail.To.Add(MailboxAddress.Parse(to));
        // Quoted-printable, as the services send HTML: the link must be read from the decoded body.
        mail.Body = new TextPart("html") { Text = $"<p>{new string('x', 90)} <a href=\"{link}\">Confirm my address</a></p>", ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        return mail;
    }
}
