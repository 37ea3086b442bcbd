using System.Text.Json;
using EventBooking.ApiService.Promo.Throwaway;
using EventBooking.FastTests.Infrastructure;

namespace EventBooking.FastTests.Promo;

/// <summary>An API with the promotion's per-domain cap as shipped (3).</summary>
public sealed class CappedDomainsApi : ApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Promo:MaxPerDomain"] = "3" };
}

/// <summary>One person, one place: the sign-up refuses throwaway mailboxes, crowds from one domain and second spellings.</summary>
public sealed class FairSignUpTests(CappedDomainsApi api) : IClassFixture<CappedDomainsApi>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> SignUpAsync(string email)
    {
        using var response = await api.ClientAt("192.0.2.60").PostAsJsonAsync("/api/promo/registrations", new { email, name = "Person" });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private int StoredAt(string domain)
    {
        using var db = api.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = """SELECT COUNT(*) FROM "PromoRegistrations" WHERE "Email" LIKE '%@' || $domain""";
        count.Parameters.AddWithValue("$domain", domain);
        return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("mailinator.com")]
    [InlineData("yopmail.com")]
    [InlineData("YopMail.com")]
    public async Task A_throwaway_mailbox_is_a_400_naming_the_email_in_plain_words_and_nothing_is_stored(string domain)
    {
        var (status, body) = await SignUpAsync($"grab-{Guid.NewGuid():N}@{domain}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("throwaway", Assert.Single(body.GetProperty("errors").GetProperty("email").EnumerateArray()).GetString());
        Assert.Equal(0, StoredAt(domain.ToLowerInvariant()));
    }

    [Fact]
    public async Task A_domain_of_ones_own_takes_three_places_and_the_fourth_is_a_400_naming_the_email()
    {
        var domain = $"own-{Guid.NewGuid():N}.example";
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await SignUpAsync($"person{i}@{domain}")).Status);
        }

        var (_, fourth) = await SignUpAsync($"person9@{domain}");

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.BadRequest], answers);
        Assert.Contains(domain, fourth.GetProperty("errors").GetProperty("email")[0].GetString());
        Assert.Equal(3, StoredAt(domain));
    }

    [Fact]
    public async Task A_public_mail_provider_is_not_a_crowd()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => SignUpAsync($"person{i}-{Guid.NewGuid():N}@gmail.com")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
    }

    [Theory]
    [InlineData("{0}.x+promo@gmail.com")]
    [InlineData("{0}x+2@googlemail.com")]
    [InlineData("{0}X@GMAIL.com")]
    public async Task Another_spelling_of_a_gmail_mailbox_is_already_in_the_queue_and_learns_nothing(string spelling)
    {
        var box = $"b{Guid.NewGuid():N}"[..20];
        var (first, _) = await SignUpAsync($"{box}x@gmail.com");
        var (again, body) = await SignUpAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, box));

        Assert.Equal(HttpStatusCode.Accepted, first);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(["alreadyInQueue", "message"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_same_new_mailbox_in_four_spellings_at_once_gets_one_place_and_nobody_else_an_error()
    {
        var box = $"race{Guid.NewGuid():N}"[..16];
        var others = Enumerable.Range(0, 20).Select(i => SignUpAsync($"other{i}-{Guid.NewGuid():N}@gmail.com"));
        var same = Enumerable.Range(0, 4).Select(i => SignUpAsync($"{box}+{i}@gmail.com"));

        var answers = await Task.WhenAll(others.Concat(same));

        Assert.All(answers[..20], a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Accepted], answers[20..].Select(a => a.Status).Order());
    }

    [Theory]
    [InlineData("x.@example.com")]
    [InlineData("ada@example")]
    [InlineData("Ada <ada@example.com>")]
    public async Task An_address_the_mail_library_cannot_send_to_is_a_400_on_sign_up_order_and_look_up(string email)
    {
        using var client = api.ClientAt("192.0.2.61");
        var order = EventBooking.Tests.Orders.OrderRequests.Valid();
        order["email"] = email;

        using var signUp = await client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Ada" });
        using var placed = await client.PostAsJsonAsync("/api/orders", order);
        using var lookup = await client.PostAsJsonAsync("/api/orders/lookup", new { reference = "EB-AAAA-AAAA", email });

        foreach (var response in new[] { signUp, placed, lookup })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("email", out _));
        }
    }
}

public sealed class ThrowawayDomainsTests
{
    private static readonly ThrowawayDomains Vendored = ThrowawayDomains.Vendored();

    [Theory]
    [InlineData("mailinator.com", true)]
    [InlineData("yopmail.com", true)]
    [InlineData("guerrillamail.com", true)]
    [InlineData("10minutemail.com", true)]
    [InlineData("anything.33m.co", true)] // a wildcard entry: every subdomain too
    [InlineData("33m.co", true)]
    [InlineData("gmail.com", false)]
    [InlineData("outlook.com", false)]
    [InlineData("yahoo.com", false)]
    [InlineData("icloud.com", false)]
    [InlineData("proton.me", false)]
    [InlineData("example.com", false)]
    [InlineData("eventbooking.local", false)]
    public void The_vendored_list_knows_the_throwaway_providers_and_not_the_real_ones(string domain, bool throwaway) =>
        Assert.Equal(throwaway, Vendored.IsThrowaway(domain));

    [Fact]
    public void The_allow_list_wins_over_the_list()
    {
        var domains = new ThrowawayDomains(["wrongly-listed.example", "listed.example"], ["wild.example"], ["wrongly-listed.example", "ok.wild.example"]);

        Assert.False(domains.IsThrowaway("wrongly-listed.example"));
        Assert.True(domains.IsThrowaway("listed.example"));
        Assert.False(domains.IsThrowaway("ok.wild.example"));
        Assert.True(domains.IsThrowaway("other.wild.example"));
    }
}
