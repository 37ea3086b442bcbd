using System.ComponentModel.DataAnnotations;

namespace EventBooking.ApiService.Promo.ProofOfWork;

/// <summary>The sign-up's proof of work (section "Promo:ProofOfWork"): what a sign-up costs a script.</summary>
public sealed class ProofOfWorkOptions
{
    public const string Section = "Promo:ProofOfWork";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The secret number is drawn from [0, MaxNumber]: a browser tries half of them on average (one SHA-256 each).
    /// Set so the page solves it in at most 2 s in headless Chromium on a 2-core machine (docs/promo.md).
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxNumber { get; set; } = 100_000;

    /// <summary>How long a challenge may be solved and used.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan ValidFor { get; set; } = TimeSpan.FromMinutes(10);
}
