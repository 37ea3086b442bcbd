namespace EventBooking.AppHost.Backups;

/// <summary>The <c>Backup</c> section: how often, where, and how many backups are kept.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>Between two scheduled backups (the first one an interval after the start); zero turns the schedule off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where backup sets go (relative to the data folder); point it at another disk, since one bad disk is what a backup is for.</summary>
    public string Directory { get; set; } = "backups";

    /// <summary>How many backup sets are kept; the oldest go first.</summary>
    public int Keep { get; set; } = 48;
}
