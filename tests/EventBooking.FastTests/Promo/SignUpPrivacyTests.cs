using System.Text.Json;
using EventBooking.FastTests.Infrastructure;

namespace EventBooking.FastTests.Promo;

public sealed class SignUpPrivacyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("{0}")]
    [InlineData("{0:U}")]
    [InlineData("  {0}  ")]
    public async Task Signing_up_again_with_a_queued_email_in_any_spelling_returns_no_id_code_or_position(string spelling)
    {
        using var client = api.ClientAt("192.0.2.10");
        var email = $"ada-{Guid.NewGuid():N}@example.com";
        using var first = await client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Ada" });
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registrationId").GetString()!;

        var again = string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling.Replace(":U", string.Empty), email);
        using var repeat = await client.PostAsJsonAsync("/api/promo/registrations",
            new { email = spelling.Contains(":U") ? again.ToUpperInvariant() : again, name = "Mallory" });
        var body = await repeat.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.DoesNotContain(id, body);
        Assert.Equal(["alreadyInQueue", "message"], JsonDocument.Parse(body).RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200D")]
    [InlineData("\uFEFF")]
    [InlineData("\u202E")]
    [InlineData("\u2060")]
    public async Task An_email_with_an_invisible_character_is_a_400_naming_the_email(string invisible)
    {
        using var client = api.ClientAt("192.0.2.11");

        using var response = await client.PostAsJsonAsync("/api/promo/registrations", new { email = $"eve{invisible}@example.com", name = "Eve" });
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["email"], errors.EnumerateObject().Select(e => e.Name));
    }
}
