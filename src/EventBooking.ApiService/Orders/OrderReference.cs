using System.Security.Cryptography;

namespace EventBooking.ApiService.Orders;

/// <summary>
/// Short references clients can read over the phone: EB-XXXX-XXXX from 30 characters with no look-alikes
/// (Crockford's set: no I, L, O or U, no 0 or 1), drawn from a cryptographic RNG so they cannot be guessed in sequence (30^8 ≈ 6.6e11).
/// </summary>
public static class OrderReference
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string Prefix = "EB-";

    public static string New()
    {
        Span<char> chars = stackalloc char[8];
        RandomNumberGenerator.GetItems(Alphabet, chars);
        return $"{Prefix}{chars[..4]}-{chars[4..]}";
    }

    /// <summary>Accepts what people type: any case, spaces around, with or without the dashes.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var compact = input.Trim().ToUpperInvariant().Replace("-", string.Empty).Replace(" ", string.Empty);
        if (compact.Length == 10 && compact.StartsWith("EB", StringComparison.Ordinal))
        {
            compact = compact[2..];
        }

        return compact.Length == 8 ? $"{Prefix}{compact[..4]}-{compact[4..]}" : null;
    }
}
