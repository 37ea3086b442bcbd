using EventBooking.Tests.Promo;

namespace EventBooking.Tests.ScaleOut;

/// <summary>A scale-out graph of its own: the burst must start from a promotion nobody has touched.</summary>
public sealed class FreshScaleOutFixture : GraphFixture
{
    protected override bool CollectsTelemetry => false;
}

[CollectionDefinition(Name)]
public sealed class FreshScaleOutCollection : ICollectionFixture<FreshScaleOutFixture>
{
    public const string Name = "fresh-scale-out";
}

/// <summary>Statuses reach the watchers of every API replica: each replica consumes every status and pushes to its own sockets.</summary>
[Collection(FreshScaleOutCollection.Name)]
[Trait("Shapes", "scale-out")]
public sealed class ReplicaBurstTests(FreshScaleOutFixture graph)
{
    [Fact]
    public Task Sixty_sign_ups_watched_across_the_api_replicas_give_ten_codes_to_the_earliest_each_step_seen_and_the_rest_sold_out_at_once() =>
        FreshPromotionBurst.RunAsync(graph);
}
