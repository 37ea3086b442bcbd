using EventBooking.Mail;
using MailKit.Net.Smtp;

namespace EventBooking.FastTests.Mail;

public sealed class MailRulesTests
{
    [Fact]
    public void User_text_arrives_in_the_html_part_as_text_and_in_the_plain_part_as_typed()
    {
        var body = new MailText()
            .Say("Dear <script>alert(1)</script> Grace,")
            .Field("Notes", "Tom & Jerry's \"party\" <b>bold</b>");

        var html = body.ToHtml("Subject <i>");
        var text = body.ToPlainText();

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("Dear <script>alert(1)</script> Grace,", text);
        Assert.Contains("Notes: Tom & Jerry's \"party\" <b>bold</b>", text);
    }

    [Fact]
    public void Host_and_port_come_from_the_app_hosts_connection_string()
    {
        var options = new MailOptions();

        options.UseConnectionString("smtp://mail.internal:2525");

        Assert.Equal(("mail.internal", 2525), (options.Host, options.Port));
    }

    public static TheoryData<Exception, bool> Failures => new()
    {
        { new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused), true },
        { new IOException("connection reset"), true },
        { new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "try later"), true },
        { new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user"), false },
        { new InvalidOperationException("a bug"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_mail_server_that_is_down_or_busy_is_waited_for_and_a_5xx_refusal_is_final(Exception failure, bool waits) =>
        Assert.Equal(waits, MailSender<Microsoft.EntityFrameworkCore.DbContext>.IsTransient(failure));
}
