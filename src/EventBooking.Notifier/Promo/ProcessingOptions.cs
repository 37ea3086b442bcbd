using System.ComponentModel.DataAnnotations;

namespace EventBooking.Notifier.Promo;

/// <summary>How the notifier works through the queue (section "Promo"; the promotion itself is <see cref="PromotionOptions"/>).</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Promo";

    /// <summary>Simulated duration of each visible processing step; zero in tests and benchmarks.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Requests the broker may send ahead of the one being handled (the order is kept either way).</summary>
    [Range(1, 10_000)]
    public ushort Prefetch { get; set; } = 500;

    /// <summary>Most requests taken from the queue at once (sold-out decisions are stored in one transaction).</summary>
    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 250;
}
