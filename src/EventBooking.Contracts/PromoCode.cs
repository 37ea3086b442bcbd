using System.Security.Cryptography;

namespace EventBooking;

/// <summary>
/// Codes like EVT-7K3M-9QX2-HP4D: 60 random bits from an alphabet without look-alike characters. The notifier makes
/// them; an order redeems them, typed however the person likes.
/// </summary>
public static class PromoCode
{
    private const string Prefix = "EVT";
    private const int RandomLength = 12;
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<char> chars = stackalloc char[RandomLength];
        RandomNumberGenerator.GetItems(Alphabet, chars);
        return Format(chars);
    }

    /// <summary>
    /// The code as issued, from what someone typed: any case, spaces and dashes anywhere, the EVT prefix optional.
    /// Null when it cannot be one of ours (wrong length or a character the alphabet lacks).
    /// </summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 64)
        {
            return null;
        }

        Span<char> chars = stackalloc char[typed.Length];
        var length = 0;
        foreach (var c in typed)
        {
            if (c is not (' ' or '-' or '\t'))
            {
                chars[length++] = char.ToUpperInvariant(c);
            }
        }

        ReadOnlySpan<char> body = chars[..length];
        if (body.Length == Prefix.Length + RandomLength && body.StartsWith(Prefix))
        {
            body = body[Prefix.Length..];
        }

        return body.Length == RandomLength && !body.ContainsAnyExcept(Alphabet) ? Format(body) : null;
    }

    private static string Format(ReadOnlySpan<char> chars) => $"{Prefix}-{chars[..4]}-{chars[4..8]}-{chars[8..]}";
}
