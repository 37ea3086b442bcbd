using System.ComponentModel.DataAnnotations;

namespace EventBooking.ApiService.Notifications;

/// <summary>Who hears of new requests, and how often (section "Notifications").</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Who gets the mail about new requests; empty means every manager account.</summary>
    public string[] ManagerEmails { get; set; } = [];

    /// <summary>At most one mail per manager in this time; it holds every request since the last one.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A burst is gathered into one mail: it goes once no new request came for this long…</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan Quiet { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>…or once the oldest request in it has waited this long, even if requests keep coming.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(20);
}
