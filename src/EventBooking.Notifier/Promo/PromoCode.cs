using System.Security.Cryptography;

namespace EventBooking.Notifier.Promo;

/// <summary>Codes like EVT-7K3M-9QX2-HP4D: 60 random bits from an alphabet without look-alike characters.</summary>
public static class PromoCode
{
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<char> chars = stackalloc char[12];
        RandomNumberGenerator.GetItems(Alphabet, chars);
        return $"EVT-{chars[..4]}-{chars[4..8]}-{chars[8..]}";
    }
}
