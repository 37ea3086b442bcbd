using System.Buffers;
using System.Globalization;
using System.Text;
using MimeKit;

namespace EventBooking;

/// <summary>
/// The one rule for email addresses, used by orders, look-ups, promo sign-ups, sign-in and the notifier alike: an
/// address is one the mail library can send to (MimeKit's own parser, strict), so nothing accepted can fail later
/// when its mail is composed; and two spellings of one address never count as two.
/// </summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    public const string NotAnAddress = "Enter a valid email address, like name@example.com.";

    public const string InvisibleCharacters = "Remove the invisible characters (such as zero-width spaces) from the email address.";

    // Strict RFC 5322: no trailing dot in the local part, no address without a domain, no unquoted commas. Stricter
    // than what the mail sender's MimeKit takes, so what passes here can always be addressed.
    private static readonly ParserOptions Parser = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
        Rfc2047ComplianceMode = RfcComplianceMode.Strict,
    };

    /// <summary>Why <paramref name="email"/> is not an address a person can receive mail at, or null when it is.</summary>
    public static string? Problem(string email)
    {
        if (HasInvisibleCharacters(email))
        {
            return InvisibleCharacters;
        }

        var address = email.Trim();
        return address.Length <= MaxLength
            && !address.Any(char.IsWhiteSpace)
            && MailboxAddress.TryParse(Parser, address, out var mailbox)
            && string.IsNullOrEmpty(mailbox.Name)
            && mailbox.Route.Count == 0
            && mailbox.Address == address
            && mailbox.Domain.Contains('.', StringComparison.Ordinal)
            && !mailbox.Domain.StartsWith('.')
            && !mailbox.Domain.EndsWith('.')
            && !mailbox.Domain.StartsWith('[') // an IP literal is nobody's mailbox here
            ? null
            : NotAnAddress;
    }

    /// <summary>How an address is stored for look-ups: trimmed, in composed Unicode form, lower case.</summary>
    public static string Normalize(string email) => email.Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();

    /// <summary>
    /// Characters no address may hold: invisible format characters (zero-width space and joiners, the BOM, bidi
    /// controls: Unicode category Cf), other controls, and unassigned or private code points (noncharacters such as
    /// U+FFFE included, which Unicode normalisation refuses). They would let one person look like many.
    /// </summary>
    public static bool HasInvisibleCharacters(string email)
    {
        var rest = email.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done)
            {
                return true; // a lone surrogate
            }

            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate)
            {
                return true;
            }

            rest = rest[used..];
        }

        return false;
    }
}
