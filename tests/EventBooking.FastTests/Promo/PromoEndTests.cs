using System.Text.Json;
using EventBooking.FastTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventBooking.FastTests.Promo;

/// <summary>An API whose promotion ends an hour after its clock starts; the test moves the clock.</summary>
public sealed class EndingPromoApi : ApiFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Promo:EndsAt"] = Clock.GetUtcNow().AddHours(1).ToString("O"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

public sealed class PromoEndTests(EndingPromoApi api) : IClassFixture<EndingPromoApi>
{
    [Fact]
    public async Task After_the_promotion_ends_a_queued_email_still_hears_it_is_queued_and_a_new_one_gets_410()
    {
        using var client = api.ClientAt("192.0.2.20");
        var queued = $"early-{Guid.NewGuid():N}@example.com";
        using var before = await client.PostAsJsonAsync("/api/promo/registrations", new { email = queued, name = "Early" });

        api.Clock.Advance(TimeSpan.FromHours(2));
        using var again = await client.PostAsJsonAsync("/api/promo/registrations", new { email = queued.ToUpperInvariant(), name = "Early" });
        using var late = await client.PostAsJsonAsync("/api/promo/registrations", new { email = $"late-{Guid.NewGuid():N}@example.com", name = "Late" });
        var problem = await late.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alreadyInQueue").GetBoolean());
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal("The promotion has ended.", problem.GetProperty("title").GetString());
    }
}
