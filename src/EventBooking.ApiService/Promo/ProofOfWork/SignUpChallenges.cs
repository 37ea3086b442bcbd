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

/// <summary>A solved challenge, checked: it pays for one sign-up once its use is stored.</summary>
public sealed record PaidChallenge(string Challenge, DateTime ExpiresAt);

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

    /// <summary>Why a sign-up whose solution is right is refused: its challenge paid for another.</summary>
    public const string UsedAlready = "This check was used for a sign-up already. Reload the page for a new one.";

    private long _used;

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

    /// <summary>
    /// Why <paramref name="payload"/> does not pay for a sign-up, or null when it does: then <paramref name="paid"/> is
    /// the challenge to use up (<see cref="UseAsync"/>), with the sign-up it pays for.
    /// </summary>
    public string? Check(string? payload, out PaidChallenge? paid)
    {
        paid = null;
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

        paid = new PaidChallenge(challenge, expires.UtcDateTime);
        return null;
    }

    /// <summary>
    /// Uses these challenges up in <paramref name="db"/>'s unit of work (the caller saves it, with the sign-ups they pay
    /// for): whether each pays, in order. One used before, or earlier in the list, does not; no challenge (the proof
    /// of work is off) does. A use is a row keyed by the challenge, so two replicas cannot both accept one.
    /// </summary>
    public async Task<bool[]> UseAsync(EventBookingDbContext db, IReadOnlyList<PaidChallenge?> paid, CancellationToken cancellationToken)
    {
        var wanted = paid.OfType<PaidChallenge>().Select(p => p.Challenge).Distinct().ToList();
        var taken = wanted.Count == 0 ? []
            : (await db.UsedChallenges.AsNoTracking().Where(u => wanted.Contains(u.Challenge)).Select(u => u.Challenge).ToListAsync(cancellationToken)).ToHashSet();
        var pays = new bool[paid.Count];
        for (var i = 0; i < paid.Count; i++)
        {
            pays[i] = paid[i] is not { } challenge || taken.Add(challenge.Challenge);
            if (pays[i] && paid[i] is { } used)
            {
                db.UsedChallenges.Add(new UsedChallenge { Challenge = used.Challenge, ExpiresAt = used.ExpiresAt });
            }
        }

        var before = Interlocked.Add(ref _used, wanted.Count) - wanted.Count;
        if (before / 1_000 != (before + wanted.Count) / 1_000)
        {
            // Past their expiry the challenges are refused by their signature anyway: their rows can go.
            var now = clock.GetUtcNow().UtcDateTime;
            await db.UsedChallenges.Where(u => u.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        }

        return pays;
    }

    /// <summary>Uses one challenge up on its own (a sign-up the writer does not store); false when it paid before.</summary>
    public async Task<bool> UseAloneAsync(PaidChallenge paid, EventBookingDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            if (!(await UseAsync(db, [paid], cancellationToken))[0])
            {
                return false;
            }

            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException used) when (used.IsUniqueViolation())
        {
            return false; // Another replica stored its use a moment ago.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
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
