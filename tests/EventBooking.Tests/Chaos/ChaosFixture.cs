namespace EventBooking.Tests.Chaos;

/// <summary>
/// One graph for the promotion from its first sign-up and for every fault: every window a long fault must outlast is
/// made short, so that "longer than any retry window" is a fault of seconds, not minutes.
/// </summary>
public sealed class ChaosFixture : GraphFixture
{
    /// <summary>How long a SQLite statement waits for a competing writer (30 s in production).</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long the broker lets a delivery stay unacknowledged (30 minutes in production).</summary>
    public static readonly TimeSpan ConsumerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The longest pause between two retries of a background loop or of a request held in place (5 s in production).</summary>
    public static readonly TimeSpan LongestRetryPause = TimeSpan.FromSeconds(3);

    /// <summary>A fault longer than every window above: the busy timeout six times, the longest pause between retries four times.</summary>
    public static readonly TimeSpan LongFault = TimeSpan.FromSeconds(12);

    protected override bool CollectsTelemetry => false;

    protected override string[] Arguments =>
    [
        .. DefaultArguments,
        $"--RabbitMQ:ConsumerTimeout={ConsumerTimeout}",
        $"--Database:BusyTimeout={BusyTimeout}",
        $"--Loops:LongestPause={LongestRetryPause}",
    ];
}

[CollectionDefinition(Name)]
public sealed class ChaosCollection : ICollectionFixture<ChaosFixture>
{
    public const string Name = "chaos";
}
