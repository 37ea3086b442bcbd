using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventBooking.ApiService.Promo.ProofOfWork;
using EventBooking.FastTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.FastTests.Promo;

/// <summary>An API whose sign-ups cost a proof of work, made cheap (the cost is a setting) so the test solves it at once.</summary>
public sealed class ProofOfWorkApi : ApiFactory
{
    public const int MaxNumber = 2_000;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Promo:ProofOfWork:Enabled"] = "true",
        ["Promo:ProofOfWork:MaxNumber"] = MaxNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>A sign-up costs a script something: a solved challenge of ours, unexpired, untampered, used once.</summary>
public sealed class ProofOfWorkTests(ProofOfWorkApi api) : IClassFixture<ProofOfWorkApi>
{
    private readonly HttpClient _client = api.ClientAt("192.0.2.90");

    /// <summary>What the widget does: find the number, then send back the challenge with it, base64 JSON.</summary>
    private async Task<JsonObject> SolvedAsync()
    {
        var challenge = await _client.GetFromJsonAsync<JsonObject>("/api/promo/challenge");
        var salt = challenge!["salt"]!.GetValue<string>();
        var target = challenge["challenge"]!.GetValue<string>();
        Assert.Equal(ProofOfWorkApi.MaxNumber, challenge["maxNumber"]!.GetValue<int>());
        var number = Enumerable.Range(0, ProofOfWorkApi.MaxNumber + 1).Single(n => Hash(salt + n) == target);
        return new JsonObject
        {
            ["algorithm"] = "SHA-256",
            ["challenge"] = target,
            ["number"] = number,
            ["salt"] = salt,
            ["signature"] = challenge["signature"]!.GetValue<string>(),
            ["took"] = 5,
        };
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Encoded(JsonObject solution) => Convert.ToBase64String(Encoding.UTF8.GetBytes(solution.ToJsonString()));

    private async Task<(HttpStatusCode Status, JsonElement Body, string Email)> SignUpAsync(string? altcha, string? email = null)
    {
        email ??= $"pow-{Guid.NewGuid():N}@example.com";
        using var response = await _client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Ada", altcha });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(), email);
    }

    private long Stored(string email)
    {
        using var db = api.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = """SELECT COUNT(*) FROM "PromoRegistrations" WHERE "Email" = $email""";
        count.Parameters.AddWithValue("$email", email);
        return (long)count.ExecuteScalar()!;
    }

    private void AssertRefused((HttpStatusCode Status, JsonElement Body, string Email) answer)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.True(answer.Body.GetProperty("errors").TryGetProperty("altcha", out _), answer.Body.ToString());
        Assert.Equal(0, Stored(answer.Email));
    }

    [Fact]
    public async Task A_solved_challenge_pays_for_one_sign_up_and_is_refused_the_second_time()
    {
        var payload = Encoded(await SolvedAsync());

        var first = await SignUpAsync(payload);
        var replayed = await SignUpAsync(payload);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        AssertRefused(replayed);
        Assert.Contains("used", replayed.Body.GetProperty("errors").GetProperty("altcha")[0].GetString());
    }

    [Fact]
    public async Task The_same_solution_sent_by_many_at_once_is_accepted_once()
    {
        var payload = Encoded(await SolvedAsync());

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SignUpAsync(payload)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Accepted);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Accepted), AssertRefused);
    }

    [Fact]
    public async Task A_try_that_finds_the_address_already_queued_uses_its_challenge_up_all_the_same()
    {
        var first = await SignUpAsync(Encoded(await SolvedAsync()));
        var payload = Encoded(await SolvedAsync());

        var again = await SignUpAsync(payload, first.Email);
        var someoneElse = await SignUpAsync(payload);

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.True(again.Body.GetProperty("alreadyInQueue").GetBoolean());
        AssertRefused(someoneElse);
    }

    [Fact]
    public async Task A_sign_up_without_a_solution_is_refused() => AssertRefused(await SignUpAsync(null));

    [Theory]
    [InlineData("number")]
    [InlineData("challenge")]
    [InlineData("salt")]
    [InlineData("signature")]
    [InlineData("algorithm")]
    [InlineData("cost")]
    public async Task A_tampered_solution_is_refused(string part)
    {
        var solution = await SolvedAsync();
        switch (part)
        {
            case "number": solution["number"] = (solution["number"]!.GetValue<int>() + 1) % ProofOfWorkApi.MaxNumber; break;
            case "challenge": solution["challenge"] = Hash("another"); break;
            case "salt": solution["salt"] = solution["salt"]!.GetValue<string>().Replace("?expires=", "?expires=9", StringComparison.Ordinal); break;
            case "signature": solution["signature"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)); break;
            case "algorithm": solution["algorithm"] = "SHA-1"; break;
            case "cost": solution["number"] = ProofOfWorkApi.MaxNumber + 1; break; // beyond what the challenge allowed
        }

        AssertRefused(await SignUpAsync(Encoded(solution)));
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("e30=")] // {}
    [InlineData("bnVsbA==")] // null
    public async Task An_unreadable_solution_is_refused(string altcha) => AssertRefused(await SignUpAsync(altcha));

    [Fact]
    public async Task An_expired_challenge_is_refused_even_when_solved()
    {
        var solution = await SolvedAsync();
        // Signed as the API signs, with an expiry already past.
        var signer = api.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(SignUpChallenges.Purpose).ToTimeLimitedDataProtector();
        solution["signature"] = signer.Protect(solution["challenge"]!.GetValue<string>(), DateTimeOffset.UtcNow.AddSeconds(-1));

        AssertRefused(await SignUpAsync(Encoded(solution)));
    }
}
