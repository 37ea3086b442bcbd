namespace EventBooking.Tests.Fairness;

/// <summary>
/// A graph with the promotion as shipped: confirmed mailboxes, the per-domain cap and the proof of work all on (the
/// other graphs turn them off to sign people up straight into the queue). Only the time to confirm is short, so a
/// sign-up nobody confirms lapses within the test.
/// </summary>
public sealed class FairPromotionFixture : GraphFixture
{
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromSeconds(20);

    protected override bool CollectsTelemetry => false;

    protected override string[] Arguments =>
    [
        .. DefaultArguments.Where(a => !a.StartsWith("--Promo:", StringComparison.Ordinal) || a.StartsWith("--Promo:StepDelay", StringComparison.Ordinal)),
        $"--Promo:ConfirmWithin={ConfirmWithin}",
    ];
}

[CollectionDefinition(Name)]
public sealed class FairPromotionCollection : ICollectionFixture<FairPromotionFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "fair-promotion";
}
