using EventBooking.FastTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.FastTests.Admin;

/// <summary>An API whose password hasher counts its verifications (the costly part of a sign-in).</summary>
public sealed class CountingHasherApi : ApiFactory
{
    public sealed class CountingHasher : PasswordHasher<IdentityUser>
    {
        private int _verifications;

        public int Verifications => _verifications;

        public override PasswordVerificationResult VerifyHashedPassword(IdentityUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    public CountingHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<IdentityUser>>(Hasher));
    }
}

/// <summary>Whatever is typed into the sign-in form: a 400 or a 401, never a 500, and no hint of who is a manager.</summary>
public sealed class SignInInputTests(CountingHasherApi api) : IClassFixture<CountingHasherApi>
{
    [Theory]
    [InlineData("\uFFFE", HttpStatusCode.BadRequest)]
    [InlineData("\uFFFF@example.com", HttpStatusCode.BadRequest)]
    [InlineData("manager@eventbooking.local\u0000", HttpStatusCode.BadRequest)]
    [InlineData("x.@example.com", HttpStatusCode.BadRequest)]
    [InlineData("not an email", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("nobody@example.com", HttpStatusCode.Unauthorized)]
    public async Task Any_email_gets_a_400_or_a_401_problem(string email, HttpStatusCode expected)
    {
        using var response = await api.ClientAt("192.0.2.70").PostAsJsonAsync("/api/admin/auth/sign-in", new { email, password = "x" });

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_email_costs_a_password_verification_like_a_known_one_with_a_wrong_password()
    {
        using var client = api.ClientAt("192.0.2.71");

        var before = api.Hasher.Verifications;
        (await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = $"nobody-{Guid.NewGuid():N}@example.com", password = "guess" })).Dispose();
        var unknown = api.Hasher.Verifications - before;
        (await client.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ApiFactory.ManagerEmail, password = "guess" })).Dispose();
        var known = api.Hasher.Verifications - before - unknown;

        Assert.Equal(1, known);
        Assert.Equal(known, unknown);
    }
}
