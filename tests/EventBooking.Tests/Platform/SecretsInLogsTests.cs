using EventBooking.Tests.Promo;

namespace EventBooking.Tests.Platform;

[Collection(GraphCollection.Name)]
[Trait("Shapes", "both")] // what each replica and PostgreSQL itself log
public sealed class SecretsInLogsTests(GraphFixture graph)
{
    [Fact]
    public async Task No_service_ever_logs_the_manager_password_a_promo_code_or_a_registration_id()
    {
        using (await graph.SignedInManagerAsync())
        {
            // A sign-in (the password travels) and a sign-up (a code may be issued) while the logs are watched.
        }

        var signUp = await graph.Frontend.SignUpAsync($"logs-{Guid.NewGuid():N}@example.com");
        await Eventually.ReturnsAsync(() => graph.Frontend.GetStatusAsync(signUp.RegistrationId),
            status => PromoClient.FinalStatuses.Contains(status.GetProperty("status").GetString()), TimeSpan.FromSeconds(30), "the sign-up is decided");
        var codes = PromoInvariants.NotifierDecisions(graph).Values.OfType<string>().ToList();
        var registrationIds = PromoInvariants.Registrations(graph).Select(r => r.Id).ToList();
        await Eventually.HoldsAsync(() => graph.Logs.Any(l => l.Resource == "notifier") && graph.Logs.Any(l => l.Resource == "api"),
            TimeSpan.FromSeconds(10), "the services' logs are being collected");

        var leaks = graph.Logs
            .Where(l => l.Line.Contains(GraphFixture.ManagerPassword, StringComparison.Ordinal)
                || codes.Any(code => l.Line.Contains(code, StringComparison.Ordinal))
                || registrationIds.Any(id => l.Line.Contains(id, StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(codes);
        Assert.Contains(signUp.RegistrationId, registrationIds);
        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks.Take(5)));
    }
}
