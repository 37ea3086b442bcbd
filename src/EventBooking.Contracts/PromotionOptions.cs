using System.ComponentModel.DataAnnotations;

namespace EventBooking;

/// <summary>The promotion itself, one definition for both services (section "Promo").</summary>
public sealed class PromotionOptions
{
    public const string Section = "Promo";

    /// <summary>How many codes the promotion gives out: the API shows how many are left, the notifier hands them out.</summary>
    [Range(1, 1_000_000)]
    public int TotalCodes { get; set; } = 10;

    /// <summary>When sign-ups close; none means open until the codes run out (and sign-ups still get "sold out").</summary>
    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>
    /// At most this many places per mail domain that is not a public mail provider (a domain of one's own is not a
    /// crowd); 0 = no cap.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxPerDomain { get; set; } = 3;

    /// <summary>
    /// Codes only to mailboxes that confirmed: a sign-up keeps its place from arrival but is decided only once its
    /// address is confirmed (or ends Expired). Off: decided at once, and the sign-up page shows the code.
    /// </summary>
    public bool ConfirmEmail { get; set; } = true;

    /// <summary>How long an address has to confirm; at most 20 minutes, as requests held meanwhile must stay within the broker's delivery timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:20:00")]
    public TimeSpan ConfirmWithin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>What a code is worth, in the words every page and mail uses.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(200)]
    public string Benefit { get; set; } = "15% off the planning fee of your first event";

    /// <summary>The last moment a code can be redeemed on an order; none means 90 days after the promotion ends.</summary>
    public DateTimeOffset? RedeemUntil { get; set; }

    /// <summary>How long after the end a code stays good when <see cref="RedeemUntil"/> is not set.</summary>
    public static readonly TimeSpan DefaultRedeemPeriod = TimeSpan.FromDays(90);

    /// <summary>
    /// Until when a code issued at <paramref name="issuedAt"/> can be redeemed: <see cref="RedeemUntil"/>, or 90 days
    /// after <see cref="EndsAt"/>; a promotion without an end ends, for its winner, when their code is issued.
    /// </summary>
    public DateTimeOffset RedeemableUntil(DateTimeOffset issuedAt) =>
        RedeemUntil ?? (EndsAt ?? issuedAt) + DefaultRedeemPeriod;
}
