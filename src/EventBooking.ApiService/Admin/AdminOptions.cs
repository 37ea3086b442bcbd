using System.ComponentModel.DataAnnotations;

namespace EventBooking.ApiService.Admin;

/// <summary>The first manager account (from the app host's parameters) and the sign-in lockout rules.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public const string ManagerRole = "Manager";
    public const string ManagerPolicy = "Manager";

    [Required(ErrorMessage = "Admin:ManagerEmail is required (the app host's manager-email parameter).")]
    [EmailAddress]
    public string ManagerEmail { get; set; } = string.Empty;

    [Required(ErrorMessage = "Admin:ManagerPassword is required (the app host's manager-password secret parameter).")]
    [MinLength(12, ErrorMessage = "Admin:ManagerPassword must be at least 12 characters.")]
    public string ManagerPassword { get; set; } = string.Empty;

    /// <summary>Wrong passwords in a row before the account is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
