using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;

namespace EventBooking.Tests.Fairness;

/// <summary>
/// Signs up the way a script would on the fair graph: it solves each proof of work natively (far faster than a
/// browser), and confirms whatever confirmation mail it can read (the dev mail server is its catch-all mailbox).
/// </summary>
public static partial class SignUpBot
{
    public sealed record Answer(string Email, HttpStatusCode Status, string? RegistrationId, long? Sequence);

    public static async Task<Answer> SignUpAsync(HttpClient site, string email, string name = "Someone")
    {
        using var response = await site.PostAsJsonAsync("/api/promo/registrations", new { email, name, altcha = await SolveAsync(site) });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.StatusCode == HttpStatusCode.Accepted
            ? new Answer(email, response.StatusCode, body.GetProperty("registrationId").GetString(), body.GetProperty("sequence").GetInt64())
            : new Answer(email, response.StatusCode, null, null);
    }

    /// <summary>Finds the challenge's number and answers as the widget does (base64 JSON).</summary>
    public static async Task<string> SolveAsync(HttpClient site)
    {
        var challenge = (await site.GetFromJsonAsync<JsonObject>("/api/promo/challenge"))!;
        var salt = challenge["salt"]!.GetValue<string>();
        var target = Convert.FromHexString(challenge["challenge"]!.GetValue<string>());
        var max = challenge["maxNumber"]!.GetValue<int>();
        var number = Solve(Encoding.UTF8.GetBytes(salt), target, max);
        var answer = new JsonObject
        {
            ["algorithm"] = "SHA-256",
            ["challenge"] = challenge["challenge"]!.GetValue<string>(),
            ["number"] = number,
            ["salt"] = salt,
            ["signature"] = challenge["signature"]!.GetValue<string>(),
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(answer.ToJsonString()));
    }

    /// <summary>The number whose SHA-256 after the salt is the target, as a native solver finds it (no allocation per try).</summary>
    private static int Solve(byte[] salt, byte[] target, int max)
    {
        Span<byte> input = stackalloc byte[salt.Length + 11];
        Span<byte> hash = stackalloc byte[32];
        salt.CopyTo(input);
        for (var n = 0; n <= max; n++)
        {
            n.TryFormat(input[salt.Length..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
            SHA256.HashData(input[..(salt.Length + digits)], hash);
            if (hash.SequenceEqual(target))
            {
                return n;
            }
        }

        throw new InvalidOperationException("The challenge has no answer in its range.");
    }

    /// <summary>The token of the newest confirmation mail to <paramref name="address"/>, if one has come.</summary>
    public static string? ConfirmToken(IEnumerable<MimeMessage> inbox, string address) =>
        inbox.Where(m => m.Subject?.Contains("Confirm", StringComparison.Ordinal) == true && m.To.Mailboxes.Any(to => to.Address == address))
            .OrderBy(m => m.Date)
            .Select(m => ConfirmLink().Match(m.HtmlBody ?? m.TextBody ?? "").Groups["token"].Value)
            .LastOrDefault(token => token.Length > 0);

    public static async Task<HttpStatusCode> ConfirmAsync(HttpClient site, string token)
    {
        using var response = await site.PostAsJsonAsync("/api/promo/confirmations", new { token });
        return response.StatusCode;
    }

    [GeneratedRegex("#confirm=(?<token>[A-Za-z0-9_-]+)")]
    public static partial Regex ConfirmLink();
}
