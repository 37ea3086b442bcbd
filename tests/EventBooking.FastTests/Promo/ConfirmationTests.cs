using System.Text.Json;
using System.Text.RegularExpressions;
using EventBooking.FastTests.Infrastructure;
using EventBooking.FastTests.Mail;
using EventBooking.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventBooking.FastTests.Promo;

/// <summary>An API with confirmed mailboxes as shipped (15 minutes to confirm); the test moves the clock.</summary>
public sealed class ConfirmingPromoApi : ApiFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Promo:ConfirmEmail"] = "true" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Codes only to mailboxes that confirmed, with the place kept from arrival.</summary>
public sealed partial class ConfirmationTests(ConfirmingPromoApi api) : IClassFixture<ConfirmingPromoApi>
{
    private readonly HttpClient _client = api.ClientAt("192.0.2.80");

    private async Task<(string Email, JsonElement SignUp, string Token)> SignUpAsync()
    {
        var email = $"confirm-{Guid.NewGuid():N}@example.com";
        using var response = await _client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Ada" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var mail = Assert.Single(QueuedMail.For(api, email)).Message;
        Assert.Contains("Confirm", mail.Subject);
        var link = Assert.Single(LinkPattern().Matches(mail.HtmlBody!).Select(m => m.Value).Distinct());
        return (email, await response.Content.ReadFromJsonAsync<JsonElement>(), link[(link.IndexOf("#confirm=", StringComparison.Ordinal) + 9)..]);
    }

    private long RequestsQueuedFor(string registrationId)
    {
        using var db = api.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = """SELECT COUNT(*) FROM "Outbox" WHERE "MessageId" = $id""";
        count.Parameters.AddWithValue("$id", registrationId);
        return (long)count.ExecuteScalar()!;
    }

    [Fact]
    public async Task A_sign_up_keeps_its_place_awaiting_confirmation_and_goes_to_the_queue_only_once_its_link_is_opened()
    {
        var (_, signUp, token) = await SignUpAsync();
        var id = signUp.GetProperty("registrationId").GetString()!;
        Assert.Equal("AwaitingConfirmation", signUp.GetProperty("status").GetString());
        Assert.Equal(0, RequestsQueuedFor(id));

        using var confirmed = await _client.PostAsJsonAsync("/api/promo/confirmations", new { token });
        var body = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        using var again = await _client.PostAsJsonAsync("/api/promo/confirmations", new { token });

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(id, body.GetProperty("registrationId").GetString());
        Assert.Equal("Queued", body.GetProperty("status").GetProperty("status").GetString());
        Assert.Equal(signUp.GetProperty("sequence").GetInt64(), body.GetProperty("status").GetProperty("sequence").GetInt64());
        Assert.Equal(1, RequestsQueuedFor(id));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode); // single use
    }

    [Fact]
    public async Task The_token_and_the_mailbox_key_are_stored_only_as_hashes()
    {
        var (_, signUp, token) = await SignUpAsync();
        using var confirmed = await _client.PostAsJsonAsync("/api/promo/confirmations", new { token });
        var key = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mailboxKey").GetString()!;

        using var db = api.OpenDatabase();
        using var row = db.CreateCommand();
        row.CommandText = """SELECT * FROM "PromoRegistrations" WHERE "Id" = $id""";
        row.Parameters.AddWithValue("$id", signUp.GetProperty("registrationId").GetString());
        using var reader = row.ExecuteReader();
        Assert.True(reader.Read());
        var stored = string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.DoesNotContain(token, stored);
        Assert.DoesNotContain(key, stored);
    }

    [Fact]
    public async Task An_address_not_confirmed_in_time_is_released_unconfirmed_and_its_link_then_says_the_time_has_passed()
    {
        var (_, signUp, token) = await SignUpAsync();
        var id = signUp.GetProperty("registrationId").GetString()!;

        api.Clock.Advance(TimeSpan.FromMinutes(16));
        await Eventually.HoldsAsync(() => RequestsQueuedFor(id) == 1, TimeSpan.FromSeconds(10), "the deadline releases the request");
        using var late = await _client.PostAsJsonAsync("/api/promo/confirmations", new { token });

        Assert.Contains(late.StatusCode, new[] { HttpStatusCode.Gone, HttpStatusCode.NotFound });
        using var db = api.OpenDatabase();
        using var payload = db.CreateCommand();
        payload.CommandText = """SELECT "Payload" FROM "Outbox" WHERE "MessageId" = $id""";
        payload.Parameters.AddWithValue("$id", id);
        Assert.True(JsonDocument.Parse((string)payload.ExecuteScalar()!).RootElement.GetProperty("unconfirmed").GetBoolean());
    }

    [Fact]
    public async Task Signing_up_again_while_unconfirmed_mails_a_new_link_at_most_once_a_minute_and_reveals_nothing()
    {
        var (email, _, first) = await SignUpAsync();

        using var again = await _client.PostAsJsonAsync("/api/promo/registrations", new { email = email.ToUpperInvariant(), name = "Ada" });
        using var soon = await _client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Ada" });
        api.Clock.Advance(TimeSpan.FromSeconds(61));
        using var later = await _client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Ada" });

        Assert.All(new[] { again, soon, later }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.DoesNotContain("registrationId", await again.Content.ReadAsStringAsync());
        var mails = QueuedMail.For(api, email);
        Assert.Equal(2, mails.Count); // the first link; none for the repeats within its minute; a new one a minute later
        var newest = LinkPattern().Match(mails[^1].Message.HtmlBody!).Value;
        using var stale = await _client.PostAsJsonAsync("/api/promo/confirmations", new { token = first });
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode); // only the newest link works
        using var fresh = await _client.PostAsJsonAsync("/api/promo/confirmations", new { token = newest[(newest.IndexOf('=') + 1)..] });
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task The_code_shows_only_to_the_page_holding_the_mailbox_key_never_to_the_registration_id_alone()
    {
        var (_, signUp, token) = await SignUpAsync();
        var id = signUp.GetProperty("registrationId").GetString()!;
        using var confirmed = await _client.PostAsJsonAsync("/api/promo/confirmations", new { token });
        var key = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mailboxKey").GetString()!;
        using (var db = api.OpenDatabase(writable: true))
        {
            // As the status consumer stores the notifier's decision.
            using var decide = db.CreateCommand();
            decide.CommandText = """
                UPDATE "PromoRegistrations" SET "Status" = 'CodeIssued', "Code" = 'EVT-TEST-CODE-0001', "StatusVersion" = 1000,
                "Message" = 'Congratulations! Your promo code is EVT-TEST-CODE-0001.' WHERE "Id" = $id
                """;
            decide.Parameters.AddWithValue("$id", id);
            decide.ExecuteNonQuery();
        }

        var byId = await _client.GetStringAsync($"/api/promo/registrations/{id}");
        var byWrongKey = await _client.GetStringAsync($"/api/promo/registrations/{id}?key=guess");
        var byKey = await _client.GetFromJsonAsync<JsonElement>($"/api/promo/registrations/{id}?key={key}");

        Assert.DoesNotContain("EVT-TEST-CODE-0001", byId);
        Assert.Contains("in your inbox", byId);
        Assert.DoesNotContain("EVT-TEST-CODE-0001", byWrongKey);
        Assert.Equal("EVT-TEST-CODE-0001", byKey.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_wrong_token_is_a_4xx_problem(string token)
    {
        using var response = await _client.PostAsJsonAsync("/api/promo/confirmations", new { token });

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.NotFound });
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex(@"https?://[^""\s<]*#confirm=[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}

/// <summary>A promotion whose codes are all gone (its own API: the others must keep theirs).</summary>
public sealed class SoldOutConfirmationTests(ConfirmingPromoApi api) : IClassFixture<ConfirmingPromoApi>
{
    [Fact]
    public async Task Once_the_codes_are_gone_a_new_sign_up_gets_no_link_to_confirm_and_goes_straight_on_to_hear_sold_out()
    {
        using var client = api.ClientAt("192.0.2.81");
        (await client.GetAsync("/api/promo")).Dispose(); // the API is up and its database made
        using (var writable = api.OpenDatabase(writable: true))
        {
            // As the status consumer stores the notifier's decisions: ten codes issued.
            using var issue = writable.CreateCommand();
            issue.CommandText = """
                INSERT INTO "PromoRegistrations" ("Id", "Email", "EmailNormalized", "Name", "Status", "StatusVersion", "Code", "CreatedAt", "UpdatedAt", "ReleasedAt")
                WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 10)
                SELECT 'won' || value, 'won' || value || '@example.com', 'won' || value || '@example.com', 'Winner', 'CodeIssued', 1000,
                       'EVT-WON-' || value, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '2026-01-01 00:00:00'
                FROM n
                """;
            issue.ExecuteNonQuery();
        }

        var email = $"late-{Guid.NewGuid():N}@example.com";
        using var response = await client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Late" });
        var signUp = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Queued", signUp.GetProperty("status").GetString());
        Assert.Empty(QueuedMail.For(api, email));
        using var db = api.OpenDatabase();
        using var queued = db.CreateCommand();
        queued.CommandText = """SELECT "Payload" FROM "Outbox" WHERE "MessageId" = $id""";
        queued.Parameters.AddWithValue("$id", signUp.GetProperty("registrationId").GetString());
        Assert.True(JsonDocument.Parse((string)queued.ExecuteScalar()!).RootElement.GetProperty("unconfirmed").GetBoolean());
    }
}
