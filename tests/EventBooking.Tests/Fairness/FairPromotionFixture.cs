namespace EventBooking.Tests.Fairness;

/// <summary>
/// A graph with the promotion as shipped: confirmed mailboxes, the per-domain cap and the proof of work all on (the
/// other graphs turn them off to sign people up straight into the queue). Only the time to confirm is short, so a
/// sign-up nobody confirms lapses within the test, and the proof of work is a tenth of the shipped one: the bot
/// solves 235 of them while the chaos graph runs beside this one (the page's solve time is measured at the shipped
/// cost, docs/promo.md).
/// </summary>
public sealed class FairPromotionFixture : GraphFixture
{
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromSeconds(30);

    protected override bool CollectsTelemetry => false;

    protected override string[] Arguments =>
    [
        .. DefaultArguments.Where(a => !a.StartsWith("--Promo:", StringComparison.Ordinal) || a.StartsWith("--Promo:StepDelay", StringComparison.Ordinal)),
        $"--Promo:ConfirmWithin={ConfirmWithin}",
        "--Promo:ProofOfWork:MaxNumber=10000",
        // A small window, so the sign-ups confirmed while earlier ones wait fill it, as thousands fill the shipped 500.
        "--Promo:Prefetch=8",
    ];
}

[CollectionDefinition(Name)]
public sealed class FairPromotionCollection : ICollectionFixture<FairPromotionFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "fair-promotion";
}
