using System.ComponentModel.DataAnnotations;

namespace EventBooking.ApiService.Promo;

public sealed class PromoOptions
{
    public const string Section = "Promo";

    /// <summary>How many codes the promotion gives out (the notifier is configured with the same number).</summary>
    [Range(1, 1_000_000)]
    public int TotalCodes { get; set; } = 10;

    /// <summary>When sign-ups close; none means open until the codes run out (and sign-ups still get "sold out").</summary>
    public DateTimeOffset? EndsAt { get; set; }
}
