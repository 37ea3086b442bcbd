using System.Text;
using System.Text.Encodings.Web;
using MimeKit;

namespace EventBooking.Mail;

/// <summary>
/// The body of a mail as a few kinds of blocks, written once and rendered as plain text and as HTML, every value
/// HTML-encoded: user input (a name, notes with &lt;script&gt;) arrives as text, never as markup.
/// </summary>
public sealed class MailText
{
    private readonly List<Block> _blocks = [];

    private abstract record Block;

    private sealed record ParagraphBlock(string Text) : Block;

    private sealed record FieldBlock(string Label, string Value) : Block;

    private sealed record LinkBlock(string Text, Uri Target) : Block;

    private sealed record HighlightBlock(string Text) : Block;

    public MailText Say(string text) => Add(new ParagraphBlock(text));

    public MailText Field(string label, string? value) => string.IsNullOrWhiteSpace(value) ? this : Add(new FieldBlock(label, value));

    public MailText Link(string text, Uri target) => Add(new LinkBlock(text, target));

    /// <summary>A value to stand out and be copied, such as a promo code.</summary>
    public MailText Highlight(string text) => Add(new HighlightBlock(text));

    private MailText Add(Block block)
    {
        _blocks.Add(block);
        return this;
    }

    public string ToPlainText()
    {
        var text = new StringBuilder();
        for (var i = 0; i < _blocks.Count; i++)
        {
            // Fields read as one block: a blank line after the last of them, as after every other block.
            var endsBlock = _blocks[i] is not FieldBlock || i + 1 == _blocks.Count || _blocks[i + 1] is not FieldBlock;
            text.AppendLine(_blocks[i] switch
            {
                ParagraphBlock p => p.Text,
                FieldBlock f => $"{f.Label}: {f.Value}",
                LinkBlock l => $"{l.Text}:{Environment.NewLine}{l.Target}",
                HighlightBlock h => $"    {h.Text}",
                _ => throw new InvalidOperationException(),
            });
            if (endsBlock)
            {
                text.AppendLine();
            }
        }

        return text.ToString();
    }

    public string ToHtml(string title)
    {
        static string E(string value) => HtmlEncoder.Default.Encode(value);
        var html = new StringBuilder($"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title></head>")
            .Append("<body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:36rem;margin:auto;padding:1rem\">");
        var inFields = false;
        foreach (var block in _blocks)
        {
            if (block is FieldBlock && !inFields)
            {
                html.Append("<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 1rem\">");
            }
            else if (block is not FieldBlock && inFields)
            {
                html.Append("</table>");
            }

            inFields = block is FieldBlock;
            html.Append(block switch
            {
                ParagraphBlock p => $"<p>{E(p.Text)}</p>",
                FieldBlock f => $"<tr><th scope=\"row\" style=\"text-align:left;padding:0 1rem 0 0;vertical-align:top\">{E(f.Label)}</th><td style=\"white-space:pre-line\">{E(f.Value)}</td></tr>",
                LinkBlock l => $"<p><a href=\"{E(l.Target.AbsoluteUri)}\">{E(l.Text)}</a></p>",
                HighlightBlock h => $"<p style=\"font-size:1.5rem;font-weight:700;letter-spacing:.1em\">{E(h.Text)}</p>",
                _ => throw new InvalidOperationException(),
            });
        }

        return html.Append(inFields ? "</table>" : string.Empty).Append("</body></html>").ToString();
    }
}

/// <summary>Builds the MIME of one mail from <see cref="MailOptions"/> (From, Reply-To, Message-Id domain).</summary>
public sealed class MailComposer(Microsoft.Extensions.Options.IOptions<MailOptions> options)
{
    public MailOptions Options => options.Value;

    /// <summary>A link into the public site (path and fragment).</summary>
    public Uri SiteLink(string pathAndFragment) => new(Options.SiteUrl, pathAndFragment);

    public MimeMessage Compose(string messageKey, string toName, string toAddress, string subject, MailText body, params MimeEntity[] attachments)
    {
        var message = new MimeMessage
        {
            MessageId = $"{messageKey}@{Options.MessageIdDomain}",
            Subject = subject,
        };
        message.From.Add(MailboxAddress.Parse(Options.From));
        if (!string.IsNullOrWhiteSpace(Options.ReplyTo))
        {
            message.ReplyTo.Add(MailboxAddress.Parse(Options.ReplyTo));
        }

        message.To.Add(new MailboxAddress(toName, toAddress));
        var builder = new BodyBuilder { TextBody = body.ToPlainText(), HtmlBody = body.ToHtml(subject) };
        foreach (var attachment in attachments)
        {
            builder.Attachments.Add(attachment);
        }

        message.Body = builder.ToMessageBody();
        return message;
    }
}
