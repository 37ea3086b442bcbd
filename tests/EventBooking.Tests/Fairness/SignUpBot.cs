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
        var number = Enumerable.Range(0, max + 1).First(n => SHA256.HashData(Encoding.UTF8.GetBytes(salt + n)).AsSpan().SequenceEqual(target));
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

    /// <summary>The token of the newest confirmation mail to <paramref name="address"/>, if one has come.</summary>
    public static string? ConfirmToken(IEnumerable<MimeMessage> inbox, string address) =>
        inbox.Where(m => m.Subject?.Contains("Confirm", StringComparison.Ordinal) == true && m.To.Mailboxes.Any(to => to.Address == address))
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
