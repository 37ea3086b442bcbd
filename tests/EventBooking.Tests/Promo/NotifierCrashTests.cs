namespace EventBooking.Tests.Promo;

public sealed class NotifierCrashFixture : GraphFixture;

[CollectionDefinition(Name)]
public sealed class NotifierCrashCollection : ICollectionFixture<NotifierCrashFixture>
{
    public const string Name = "notifier-crash";
}

[Collection(NotifierCrashCollection.Name)]
public sealed class NotifierCrashTests(NotifierCrashFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Killing_the_notifier_in_the_middle_of_a_burst_loses_no_sign_up_and_issues_no_extra_code()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var emails = Enumerable.Range(0, 300).Select(i => $"crash-{i}-{Guid.NewGuid():N}@example.com").ToArray();

        var burst = Task.WhenAll(emails.Select(email => graph.Frontend.SignUpAsync(email)));
        await PromoInvariantsDecidedAtLeastAsync(5);

        await graph.KillAsync("notifier");
        var decidedAtCrash = PromoInvariants.Registrations(graph).Count(r => PromoClient.FinalStatuses.Contains(r.Status));

        var signUps = await burst;
        await graph.StartAgainAsync("notifier", cancel.Token);

        var rows = await PromoInvariants.AllFinalAsync(graph, Timeout);
        Assert.Equal(300, rows.Count);
        Assert.Equal(300, signUps.Select(s => s.RegistrationId).Distinct().Count());
        Assert.InRange(decidedAtCrash, 5, 299);
        PromoInvariants.AssertHold(graph, totalCodes: 10);
    }

    private Task PromoInvariantsDecidedAtLeastAsync(int count) =>
        Eventually.HoldsAsync(
            () => PromoInvariants.Registrations(graph).Count(r => PromoClient.FinalStatuses.Contains(r.Status)) >= count,
            TimeSpan.FromSeconds(60), $"at least {count} sign-ups decided");
}
