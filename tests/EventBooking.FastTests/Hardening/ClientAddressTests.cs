using EventBooking.FastTests.Infrastructure;

namespace EventBooking.FastTests.Hardening;

/// <summary>A graph of its own settings: two sign-ups a minute per client.</summary>
public sealed class TightLimitsApi : ApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["RateLimits:PromoSignUps:PermitLimit"] = "2",
        ["RateLimits:PromoSignUps:Window"] = "00:01:00",
    };
}

public sealed class ClientAddressTests(TightLimitsApi api) : IClassFixture<TightLimitsApi>
{
    [Fact]
    public async Task A_forged_x_forwarded_for_without_the_proxy_key_does_not_buy_a_caller_a_new_allowance()
    {
        using var forger = api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/promo/registrations")
            {
                Content = JsonContent.Create(new { email = $"forger-{Guid.NewGuid():N}@example.com", name = "Forger" }),
            };
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i}");
            using var response = await forger.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task An_ipv6_client_is_one_client_across_its_whole_64_and_its_neighbour_network_is_another()
    {
        async Task<HttpStatusCode> SignUpFrom(string address)
        {
            using var response = await api.ClientAt(address).PostAsJsonAsync("/api/promo/registrations",
                new { email = $"v6-{Guid.NewGuid():N}@example.com", name = "Six" });
            return response.StatusCode;
        }

        var sameNetwork = new[] { "2001:db8:1:2::1", "2001:db8:1:2::ffff", "2001:db8:1:2:abcd::9" };
        var statuses = new List<HttpStatusCode>();
        foreach (var address in sameNetwork)
        {
            statuses.Add(await SignUpFrom(address));
        }

        var neighbour = await SignUpFrom("2001:db8:1:3::1");

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Accepted, neighbour);
    }

    [Fact]
    public async Task The_site_proxy_speaks_for_each_client_at_its_own_address()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var client = api.ClientAt($"203.0.113.{i + 100}");
            using var response = await client.PostAsJsonAsync("/api/promo/registrations", new { email = $"person-{Guid.NewGuid():N}@example.com", name = "Person" });
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Accepted, status));
    }
}
