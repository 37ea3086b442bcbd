using System.Security.Cryptography;
using System.Text;

namespace EventBooking.ApiService.Promo.Confirmation;

/// <summary>
/// The secrets a confirmation hands out (the link's token, the key of the page it opens): 128 random bits each, only
/// their SHA-256 stored, so a copy of the database confirms nothing and shows no code.
/// </summary>
public static class ConfirmationSecrets
{
    public static (string Secret, string Hash) New()
    {
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        return (secret, Hash(secret));
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
