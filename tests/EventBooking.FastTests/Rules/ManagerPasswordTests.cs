using EventBooking.FastTests.Infrastructure;

namespace EventBooking.FastTests.Rules;

/// <summary>A generated password of letters only, as the app host may make one (no digit, no special character).</summary>
public sealed class LettersOnlyPasswordApi : ApiFactory
{
    public const string Password = "OnlyLettersHereNoDigitsAtAll";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Admin:ManagerPassword"] = Password };
}

public sealed class ManagerPasswordTests(LettersOnlyPasswordApi api) : IClassFixture<LettersOnlyPasswordApi>
{
    [Fact]
    public async Task A_long_password_without_digits_or_symbols_starts_the_api_and_signs_the_manager_in()
    {
        using var client = api.ClientAt("192.0.2.60");

        using var signIn = await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ApiFactory.ManagerEmail, password = LettersOnlyPasswordApi.Password });

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }
}
