using System.ComponentModel.DataAnnotations;

namespace EventBooking.Notifier.Promo;

public sealed class PromoOptions
{
    public const string Section = "Promo";

    /// <summary>How many codes exist in total (the API is configured with the same number).</summary>
    [Range(1, 1_000_000)]
    public int TotalCodes { get; set; } = 10;

    /// <summary>Simulated duration of each visible processing step; zero in tests and benchmarks.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Attempts at one request before it is dead-lettered and reported as failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;
}
