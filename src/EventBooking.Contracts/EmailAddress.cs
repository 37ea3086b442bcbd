using System.Globalization;
using System.Text;

namespace EventBooking;

/// <summary>
/// The one rule for comparing email addresses, used by orders, look-ups, promo sign-ups and the notifier alike:
/// two spellings of one mailbox must never count as two people.
/// </summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>How an address is stored for comparison: trimmed, in composed Unicode form, lower case.</summary>
    public static string Normalize(string email) => email.Trim().Normalize(NormalizationForm.FormC).ToLowerInvariant();

    /// <summary>
    /// Characters no address may hold: invisible format characters (zero-width space and joiners, the BOM, bidi
    /// controls: Unicode category Cf), other controls, and unassigned or private code points. They would let one
    /// person look like many.
    /// </summary>
    public static bool HasInvisibleCharacters(string email)
    {
        foreach (var rune in email.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate)
            {
                return true;
            }
        }

        return false;
    }
}
