using EventBooking.ServiceDefaults;

namespace EventBooking.FastTests.Rules;

public sealed class SecretUrlsTests
{
    [Theory]
    [InlineData("/api/promo/registrations/Xk3-9_secret", "/api/promo/registrations/{id}")]
    [InlineData("/ws/promo/Xk3-9_secret", "/ws/promo/{id}")]
    [InlineData("http://api:5301/ws/promo/Xk3-9_secret?key=mailbox-secret", "http://api:5301/ws/promo/{id}")]
    [InlineData("/api/promo/registrations/Xk3-9_secret?key=mailbox-secret#x", "/api/promo/registrations/{id}")]
    [InlineData("/api/promo", "/api/promo")]
    [InlineData("/api/orders/EB-7K3M-9QX2", "/api/orders/EB-7K3M-9QX2")]
    public void Registration_ids_never_reach_telemetry_but_the_shape_of_the_url_does(string url, string recorded) =>
        Assert.Equal(recorded, SecretUrls.Redact(url));
}
