using System.ComponentModel.DataAnnotations;

namespace EventBooking.ApiService.Hardening;

/// <summary>How many requests one client (IP address) may make per window, per kind of request.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [Required]
    public WindowLimit Orders { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    [Required]
    public WindowLimit PromoSignUps { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(1) };

    [Required]
    public WindowLimit SignIn { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Looking an order up by reference + email: generous for people, slow for anyone guessing.</summary>
    [Required]
    public WindowLimit Lookups { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };
}

public sealed class WindowLimit
{
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; }
}
