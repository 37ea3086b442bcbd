using System.ComponentModel.DataAnnotations;

namespace EventBooking.ApiService.Auth;

/// <summary>The first manager account, from the app host's parameters.</summary>
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
}
