using EventBooking.Tests.Promo;

namespace EventBooking.Tests.Chaos;

public sealed partial class ChaosTests
{
    /// <summary>
    /// The promotion as nobody has touched it yet, so this runs first on the chaos graph (its inbox holds this burst's
    /// mails alone); the faults after it leave the promotion sold out but the graph clean.
    /// </summary>
    [Fact]
    [NeedsFreshPromotion]
    public Task Sixty_concurrent_sign_ups_and_twenty_repeats_give_ten_codes_to_the_earliest_winners_see_each_step_and_the_rest_hear_sold_out_at_once() =>
        FreshPromotionBurst.RunAsync(graph);
}
