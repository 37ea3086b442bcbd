using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace EventBooking.Mail;

/// <summary>
/// Where mail goes and who it is from (section "Mail"). The app host gives the dev mail server as
/// <c>ConnectionStrings:mail</c> (smtp://host:port); production sets Mail:Host, Port, Security, UserName and, as a
/// secret, Password.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>StartTls unless told otherwise: a real relay must not see credentials in clear text.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Required]
    public string From { get; set; } = "EventBooking <hello@eventbooking.local>";

    public string? ReplyTo { get; set; }

    /// <summary>The public site, for links in mails.</summary>
    [Required]
    public Uri SiteUrl { get; set; } = new("http://localhost:8080");

    /// <summary>The right-hand side of every Message-Id.</summary>
    public string MessageIdDomain => MimeKit.MailboxAddress.Parse(From).Domain;

    /// <summary>Takes host and port from a connection string such as smtp://localhost:1025.</summary>
    public void UseConnectionString(string? connectionString)
    {
        if (Uri.TryCreate(connectionString?.Replace("Endpoint=", string.Empty, StringComparison.OrdinalIgnoreCase), UriKind.Absolute, out var uri)
            && uri.Scheme is "smtp" or "smtps")
        {
            Host = uri.Host;
            Port = uri.Port > 0 ? uri.Port : Port;
        }
    }
}
