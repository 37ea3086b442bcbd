namespace EventBooking.Tests.ScaleOut;

/// <summary>
/// The graph in its scale-out shape whatever the run's shape: PostgreSQL, two API replicas behind the site's proxy and
/// two notifiers (one active, one standing by). Checks go through the API, so they read the same on either database.
/// </summary>
public sealed class ScaleOutFixture : GraphFixture
{
    protected override string[] Arguments => [.. DefaultArguments, .. ScaleOutArguments];
}

[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<ScaleOutFixture>
{
    public const string Name = "scale-out";
}
