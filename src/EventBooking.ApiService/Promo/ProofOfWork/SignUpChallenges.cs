using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventBooking.ApiService.Data;
using EventBooking.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Promo.ProofOfWork;

/// <summary>A challenge as the ALTCHA widget reads it (its v1 protocol: find n with SHA-256(salt + n) = challenge).</summary>
public sealed record AltchaChallenge(string Algorithm, string Challenge, string Salt, int MaxNumber, string Signature);

/// <summary>What the widget sends back, base64 JSON in the sign-up's "altcha" field.</summary>
internal sealed record AltchaSolution(string? Algorithm, string? Challenge, long Number, string? Salt, string? Signature);

/// <summary>
/// The sign-up's self-hosted proof of work. A challenge is signed with the site's shared data-protection keys
/// (every replica can check it; tampering, a foreign signature or an expired one fail the check), its secret number
/// is drawn uniformly from the whole range (no floor a solver could skip), and each solved challenge is good for one
/// sign-up: its use is a row whose key is the challenge, so two replicas cannot both accept it.
/// </summary>
public sealed partial class SignUpChallenges(IDataProtectionProvider protection, IOptions<ProofOfWorkOptions> options, TimeProvider clock)
{
    private const string Algorithm = "SHA-256";

    /// <summary>The data-protection purpose of the signatures: a signature made for anything else does not verify here.</summary>
    public const string Purpose = "EventBooking.Promo.ProofOfWork.v1";

    private readonly ITimeLimitedDataProtector _signer =
        protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    private long _verified;

    public bool Enabled => options.Value.Enabled;

    public AltchaChallenge Issue()
    {
        var expires = clock.GetUtcNow() + options.Value.ValidFor;
        // The widget reads "expires" from the salt to fetch a new challenge in time; the trailing "&" ends the salt,
        // so no digit of the number can be moved into it.
        var salt = $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}?expires={expires.ToUnixTimeSeconds()}&";
        var number = RandomNumberGenerator.GetInt32(0, options.Value.MaxNumber + 1);
        var challenge = Hash(salt, number);
        return new AltchaChallenge(Algorithm, challenge, salt, options.Value.MaxNumber, _signer.Protect(challenge, expires));
    }

    /// <summary>Why <paramref name="payload"/> does not pay for a sign-up, or null when it does (it is then used up).</summary>
    public async Task<string?> RedeemAsync(string? payload, EventBookingDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return "Wait a moment for the automatic check to finish, then send the form again.";
        }

        if (Read(payload) is not { Algorithm: Algorithm, Challenge: { Length: 64 } challenge, Salt: { } salt, Signature: { } signature } solution
            || !SaltPattern().IsMatch(salt) || solution.Number < 0 || solution.Number > options.Value.MaxNumber)
        {
            return "The automatic check did not come back in a form we accept. Reload the page and try again.";
        }

        DateTimeOffset expires;
        try
        {
            if (_signer.Unprotect(signature, out expires) != challenge)
            {
                return Tampered;
            }
        }
        catch (CryptographicException)
        {
            return "The automatic check has expired or is not ours. Reload the page and try again.";
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(salt, solution.Number)), Encoding.ASCII.GetBytes(challenge)))
        {
            return Tampered;
        }

        db.UsedChallenges.Add(new UsedChallenge { Challenge = challenge, ExpiresAt = expires.UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException used) when (used.IsUniqueViolation())
        {
            return "This check was used for a sign-up already. Reload the page for a new one.";
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        if (Interlocked.Increment(ref _verified) % 1_000 == 0)
        {
            // Past their expiry the challenges are refused by their signature anyway: their rows can go.
            var now = clock.GetUtcNow().UtcDateTime;
            await db.UsedChallenges.Where(u => u.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        }

        return null;
    }

    private const string Tampered = "The automatic check's answer is wrong. Reload the page and try again.";

    private static string Hash(string salt, long number) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + number.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private static AltchaSolution? Read(string payload)
    {
        try
        {
            return payload.Length > 2_048 ? null : JsonSerializer.Deserialize<AltchaSolution>(Convert.FromBase64String(payload), JsonSerializerOptions.Web);
        }
        catch (Exception unreadable) when (unreadable is FormatException or JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[0-9a-f]{32}\\?expires=[0-9]{1,12}&$")]
    private static partial Regex SaltPattern();
}
