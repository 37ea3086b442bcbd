namespace EventBooking.ApiService.Notifications;

/// <summary>One manager's own choices, kept with their account (keyed by its Identity user id).</summary>
public sealed class ManagerSettings
{
    public required string UserId { get; init; }

    /// <summary>Whether this manager gets the mail about new requests.</summary>
    public bool MailOnNewRequests { get; set; } = true;

    /// <summary>When this manager last looked at the requests list: the back office's title counts what came since.</summary>
    public DateTime? LastLookedAt { get; set; }
}
