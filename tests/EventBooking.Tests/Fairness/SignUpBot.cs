using System.Text.Json;
using EventBooking.LoadTest;
using MimeKit;

namespace EventBooking.Tests.Fairness;

/// <summary>
/// Signs up the way a script would on the fair graph: it solves each proof of work natively (far faster than a
/// browser), and confirms whatever confirmation mail it can read (the dev mail server is its catch-all mailbox).
/// </summary>
public static class SignUpBot
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

    /// <summary>Solves a challenge as the widget does (the load test's solver).</summary>
    public static Task<string> SolveAsync(HttpClient site) => ProofOfWork.SolveAsync(site);

    /// <summary>The token of the newest confirmation mail to <paramref name="address"/>, if one has come.</summary>
    public static string? ConfirmToken(IEnumerable<MimeMessage> inbox, string address) =>
        inbox.Where(m => m.To.Mailboxes.Any(to => to.Address == address))
            .OrderBy(m => m.Date)
            .Select(Inbox.ConfirmToken)
            .LastOrDefault(token => token is not null);

    public static async Task<HttpStatusCode> ConfirmAsync(HttpClient site, string token)
    {
        using var response = await site.PostAsJsonAsync("/api/promo/confirmations", new { token });
        return response.StatusCode;
    }
}
