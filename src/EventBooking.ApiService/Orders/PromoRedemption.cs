using EventBooking.ApiService.Data;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Orders;

/// <summary>What a typed promo code came to: the code as issued, or the reason it cannot be used (for the promoCode field).</summary>
public sealed record RedemptionCheck(string? Code, string? Problem)
{
    public static readonly RedemptionCheck None = new(null, null);
}

/// <summary>
/// The rules for redeeming a won code on an order, but one: that no live order holds it is decided by
/// <see cref="OrderWriter"/>, under its lock, so two orders at once cannot both take it. An order without a code (nearly
/// all) costs nothing here: the database is only reached when a code was typed.
/// </summary>
public sealed class PromoRedemption(IServiceScopeFactory scopes, IOptions<PromotionOptions> promotion, TimeProvider clock)
{
    public const string Field = "promoCode";

    // Unknown and another's code answer differently on purpose (the issue asks it): a code alone is 60 random bits,
    // so telling "exists" from "unknown" helps nobody guess one, and the owner learns to use the address it was sent to.
    public const string Unknown =
        "We do not know this promo code. Check it against the mail that brought it: it looks like EVT-7K3M-9QX2-HP4D.";

    public const string NotYours = "This code is not valid for this email address. Use the address the code was sent to.";

    public const string InUse =
        "This code is already used on another of your requests. It comes back to you if that request is cancelled or declined.";

    public static string Expired(DateTimeOffset until) =>
        $"This code could be used until {until.UtcDateTime:d MMMM yyyy}; it has expired.";

    public async Task<RedemptionCheck> CheckAsync(string? typed, string email, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return RedemptionCheck.None;
        }

        var code = PromoCode.Normalize(typed);
        if (code is null)
        {
            return new(null, Unknown);
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        var won = await db.PromoRegistrations.AsNoTracking()
            .Where(r => r.Code == code && r.Status == PromoStatus.CodeIssued)
            .Select(r => new { r.EmailNormalized, r.DecidedAt, r.UpdatedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (won is null)
        {
            return new(null, Unknown);
        }

        if (won.EmailNormalized != MailboxIdentity.Of(email))
        {
            return new(null, NotYours);
        }

        var until = promotion.Value.RedeemableUntil(new DateTimeOffset(won.DecidedAt ?? won.UpdatedAt, TimeSpan.Zero));
        return clock.GetUtcNow() > until ? new(null, Expired(until)) : new(code, null);
    }
}
