using System.Text.RegularExpressions;
using EventBooking.Tests.Promo;

namespace EventBooking.Tests.Platform;

/// <summary>
/// Secrets stay out of every sink: the console logs of every process (Debug included, with scopes) and everything
/// exported over OTLP (log records with their attributes and scopes, spans, metrics).
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Shapes", "both")] // what each replica and PostgreSQL itself log
public sealed partial class SecretsInLogsTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task No_service_ever_logs_or_exports_the_manager_password_a_promo_code_or_a_registration_id()
    {
        var telemetry = graph.Telemetry ?? throw new InvalidOperationException("the shared graph exports its telemetry to the tests");
        using (await graph.SignedInManagerAsync())
        {
            // A sign-in (the password travels) and a sign-up (a code may be issued) while the logs are watched.
        }

        var signUp = await graph.Frontend.SignUpAsync($"logs-{Guid.NewGuid():N}@example.com");
        await graph.Frontend.FinalStatusAsync(signUp.RegistrationId, Timeout);
        var decision = await Eventually.ReturnsAsync(() => Task.FromResult(DecisionOf(signUp.Sequence)), line => line is not null, Timeout,
            $"the notifier logged the decision of #{signUp.Sequence}");
        await Eventually.HoldsAsync(() => telemetry.Contains(decision!), Timeout, $"the notifier exported its log record '{decision}'");

        var secrets = PromoInvariants.NotifierDecisions(graph).Values.OfType<string>()
            .Concat(PromoInvariants.Registrations(graph).Select(r => r.Id))
            .Append(GraphFixture.ManagerPassword)
            .ToList();
        var logged = graph.Logs.Where(l => secrets.Any(secret => l.Line.Contains(secret, StringComparison.Ordinal))).ToList();
        var exported = secrets.Where(telemetry.Contains).ToList();

        Assert.Contains(signUp.RegistrationId, secrets);
        Assert.Contains(secrets, secret => secret.StartsWith("EVT-", StringComparison.Ordinal)); // codes were issued on this graph
        Assert.True(logged.Count == 0, string.Join(Environment.NewLine, logged.Take(5)));
        Assert.True(exported.Count == 0, $"{exported.Count} secret(s) found in {telemetry.Exports} OTLP exports");
    }

    /// <summary>The notifier's log message for the decisions that include <paramref name="sequence"/>, as it was formatted.</summary>
    private string? DecisionOf(long sequence) =>
        graph.Logs.Where(l => l.Resource == "notifier")
            .Select(l => Decided().Match(l.Line))
            .FirstOrDefault(m => m.Success && long.Parse(m.Groups["first"].Value) <= sequence && sequence <= long.Parse(m.Groups["last"].Value))
            ?.Value;

    [GeneratedRegex(@"Decided promo requests #(?<first>\d+)\.\.#(?<last>\d+): [^\r\n]*")]
    private static partial Regex Decided();
}
