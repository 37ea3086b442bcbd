using EventBooking.ApiService.Data;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Notifications;

/// <summary>A manager who gets the mail about new requests.</summary>
public sealed record ManagerRecipient(string Email);

public static class ManagerRecipients
{
    /// <summary>
    /// <see cref="NotificationOptions.ManagerEmails"/>, or else every manager account; either way without the
    /// accounts whose manager switched these mails off.
    /// </summary>
    public static async Task<IReadOnlyList<ManagerRecipient>> ForNewRequestsAsync(
        EventBookingDbContext db, NotificationOptions options, CancellationToken cancellationToken)
    {
        var accounts = await db.Users.AsNoTracking()
            .Where(u => u.Email != null)
            .Select(u => new
            {
                Email = u.Email!,
                Off = db.ManagerSettings.Any(s => s.UserId == u.Id && !s.MailOnNewRequests),
            })
            .ToListAsync(cancellationToken);
        var switchedOff = accounts.Where(a => a.Off).Select(a => a.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var addresses = options.ManagerEmails.Length > 0 ? options.ManagerEmails : [.. accounts.Select(a => a.Email)];
        return [.. addresses
            .Select(a => a.Trim())
            .Where(a => a.Length > 0 && !switchedOff.Contains(a))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(a => new ManagerRecipient(a))];
    }
}
