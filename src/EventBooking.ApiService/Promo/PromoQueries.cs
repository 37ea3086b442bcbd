using EventBooking.ApiService.Data;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Promo;

/// <summary>The queries the promo API, the live sockets and the sign-up writer share (the codes issued: <see cref="IssuedCodes"/>).</summary>
public static class PromoQueries
{
    /// <summary>How many sign-ups ahead of this one are not decided yet (confirmed or not: each holds its place).</summary>
    public static Task<int> PositionAsync(EventBookingDbContext db, long sequence, CancellationToken cancellationToken) =>
        Undecided(db).CountAsync(r => r.Sequence < sequence, cancellationToken);

    public static IQueryable<PromoRegistration> Undecided(EventBookingDbContext db) =>
        db.PromoRegistrations.Where(r =>
            r.Status == PromoStatus.Queued || r.Status == PromoStatus.Processing || r.Status == PromoStatus.AwaitingConfirmation);
}
