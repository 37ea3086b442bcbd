using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MimeKit;

namespace EventBooking.LoadTest;

/// <summary>
/// Where the bench's people read their mail: the confirmation link of each sign-up, as a person clicks it. Mails
/// are matched to people by recipient; a link that has not come yet is waited for.
/// </summary>
public abstract partial class Inbox
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private int _mails;

    /// <summary>Mails received so far.</summary>
    public int Mails => Volatile.Read(ref _mails);

    /// <summary>The token of the confirmation link mailed to <paramref name="address"/>, once it has come.</summary>
    public Task<string> ConfirmTokenAsync(string address, CancellationToken cancellationToken)
    {
        Wanted();
        return Slot(address).Task.WaitAsync(cancellationToken);
    }

    /// <summary>Someone waits for a link: an inbox that has to be read starts reading.</summary>
    protected virtual void Wanted()
    {
    }

    /// <summary>The token in a confirmation mail's link (<c>/promo#confirm=…</c>), or null for any other mail.</summary>
    public static string? ConfirmToken(MimeMessage mail) =>
        mail.Subject?.Contains("Confirm", StringComparison.Ordinal) == true
        && ConfirmLink().Match(mail.HtmlBody ?? mail.TextBody ?? "") is { Success: true } link
            ? link.Groups["token"].Value
            : null;

    protected void Received(MimeMessage mail)
    {
        Interlocked.Increment(ref _mails);
        if (ConfirmToken(mail) is { } token)
        {
            foreach (var to in mail.To.Mailboxes)
            {
                Slot(to.Address).TrySetResult(token);
            }
        }
    }

    /// <summary>A mail that was not opened (not a confirmation).</summary>
    protected void Skipped() => Interlocked.Increment(ref _mails);

    private TaskCompletionSource<string> Slot(string address) =>
        _tokens.GetOrAdd(address, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    [GeneratedRegex("#confirm=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex ConfirmLink();
}
