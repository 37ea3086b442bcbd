using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace EventBooking.Mail;

/// <summary>
/// A composed mail waiting for the mail server, stored in the same transaction as what it announces. Its MIME,
/// Message-Id included, is fixed when it is queued, so every attempt sends the very same mail.
/// </summary>
public sealed class OutgoingMail
{
    public long Id { get; init; }

    /// <summary>Stable and unique: a mail queued twice by mistake is refused by the database, not sent twice.</summary>
    public required string MessageId { get; init; }

    /// <summary>What the mail is, for logs and metrics: "order-received", "promo-code"…</summary>
    public required string Kind { get; init; }

    public required string Recipient { get; init; }

    /// <summary>What the mail is about, when its service wants to hear that it was sent (e.g. a registration).</summary>
    public string? About { get; init; }

    public required byte[] Mime { get; init; }

    /// <summary>W3C traceparent of what queued the mail, so its sending joins that trace.</summary>
    public string? TraceParent { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? SentAt { get; set; }

    /// <summary>Set when the mail server refused the mail for good (a 5xx answer); <see cref="Failure"/> says why.</summary>
    public DateTime? FailedAt { get; set; }

    public string? Failure { get; set; }

    /// <summary>Set once the service was told the outcome (at once for mails nobody waits on).</summary>
    public DateTime? SettledAt { get; set; }

    public bool Delivered => SentAt is not null;
}

public static class MailOutbox
{
    /// <summary>Maps the outbox table into a service's own database.</summary>
    public static ModelBuilder AddMailOutbox(this ModelBuilder modelBuilder)
    {
        var mail = modelBuilder.Entity<OutgoingMail>();
        mail.ToTable("OutgoingMail");
        mail.Property(m => m.MessageId).HasMaxLength(200);
        mail.Property(m => m.Kind).HasMaxLength(40);
        mail.Property(m => m.Recipient).HasMaxLength(254);
        mail.Property(m => m.About).HasMaxLength(64);
        mail.Property(m => m.Failure).HasMaxLength(500);
        mail.Property(m => m.TraceParent).HasMaxLength(64);
        mail.HasIndex(m => m.MessageId).IsUnique();
        mail.HasIndex(m => m.SettledAt);
        mail.HasIndex(m => new { m.Kind, m.Recipient, m.CreatedAt });
        return modelBuilder;
    }

    /// <summary>
    /// Queues <paramref name="message"/> in <paramref name="db"/>: it is sent once the caller's transaction commits.
    /// Its sending joins <paramref name="trace"/> (by default the current activity's).
    /// </summary>
    public static OutgoingMail QueueMail(
        this DbContext db, MimeMessage message, string kind, DateTime now, string? about = null, ActivityContext trace = default)
    {
        using var mime = new MemoryStream();
        message.WriteTo(mime);
        var mail = new OutgoingMail
        {
            MessageId = message.MessageId ?? throw new ArgumentException("A queued mail needs a stable Message-Id.", nameof(message)),
            Kind = kind,
            Recipient = message.To.Mailboxes.First().Address,
            About = about,
            Mime = mime.ToArray(),
            TraceParent = trace == default ? Activity.Current?.Id : TraceParent(trace),
            CreatedAt = now,
        };
        db.Set<OutgoingMail>().Add(mail);
        return mail;
    }

    /// <summary>The W3C traceparent text of <paramref name="context"/>.</summary>
    private static string TraceParent(ActivityContext context) =>
        $"00-{context.TraceId}-{context.SpanId}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";
}
