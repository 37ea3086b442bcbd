using EventBooking.ApiService.Auth;
using EventBooking.ApiService.Data;
using EventBooking.ApiService.Validation;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Admin;

public sealed record DayCount(DateOnly Day, int Count);

public sealed record LabelCount(string Label, int Count);

/// <summary>The promotion's counts; <see cref="Confirmed"/> counts sign-ups that confirmed or never had to.</summary>
public sealed record PromoFunnel(int SignUps, int Confirmed, int CodesIssued, int SoldOut, int Failed, int Waiting, double? AverageQueueWaitSeconds, double? AverageProcessingSeconds);

public sealed record AdminStats(
    int Days,
    int OrdersInPeriod,
    IReadOnlyList<DayCount> OrdersPerDay,
    IReadOnlyList<LabelCount> ByEventType,
    IReadOnlyList<LabelCount> ByStatus,
    IReadOnlyList<LabelCount> BudgetMix,
    double? AverageGuests,
    double? MedianHoursToContact,
    PromoFunnel Promo,
    IReadOnlyList<FunnelStep> PromoSteps);

/// <summary>One step of the promotion's funnel, with the share of the step before it that reached it (null after an empty step).</summary>
public sealed record FunnelStep(string Label, int Count, double? RateFromPrevious);

public static class AdminStatsApi
{
    public static IEndpointRouteBuilder MapAdminStatsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/admin/stats")
            .WithTags("Admin")
            .RequireAuthorization(AdminOptions.ManagerPolicy)
            .MapGet("/", GetStatsAsync)
            .WithName("AdminStats")
            .WithSummary("Orders per day, by type, status and budget, time to first contact, and the promo funnel; all computed in SQL.");
        return routes;
    }

    public static async Task<Results<Ok<AdminStats>, ValidationProblem>> GetStatsAsync(
        EventBookingDbContext db, TimeProvider clock, CancellationToken cancellationToken, int days = 30)
    {
        if (days is not (30 or 90))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = ["Choose 30 or 90 days."] });
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var since = today.AddDays(-(days - 1)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var database = db.Database;

        var postgres = database.IsNpgsql();
        var perDay = await database.SqlQuery<DayRow>(StatsSql.OrdersPerDay(postgres, since))
            .ToDictionaryAsync(r => DateOnly.Parse(r.Day, System.Globalization.CultureInfo.InvariantCulture), r => r.Count, cancellationToken);

        // One pass over the covering created-time index; the few groups are folded into the breakdowns here.
        var groups = await database.SqlQuery<OrderGroup>(StatsSql.OrderGroups(postgres, since)).ToListAsync(cancellationToken);
        var orderCount = groups.Sum(g => g.Count);
        var averageGuests = orderCount == 0 ? (double?)null : (double)groups.Sum(g => g.Guests) / orderCount;

        // Hours from creation to the first move to Contacted; the median is the middle row of the sorted list.
        var contacted = await database.SqlQuery<int>(StatsSql.ContactedCount(postgres, since)).SingleAsync(cancellationToken);
        var medianHours = contacted == 0
            ? null
            : await database.SqlQuery<double?>(StatsSql.HoursToContact(postgres, since, contacted / 2)).SingleAsync(cancellationToken);

        var promo = await database.SqlQuery<PromoFunnel>(StatsSql.PromoFunnel(postgres)).SingleAsync(cancellationToken);
        var redeemed = await db.Orders.CountAsync(o => o.PromoCode != null && !Order.StatusesGivingCodeBack.Contains(o.Status), cancellationToken);
        var redeemedConfirmed = await db.Orders.CountAsync(o => o.PromoCode != null && o.Status == OrderStatus.Confirmed, cancellationToken);

        var series = Enumerable.Range(0, days)
            .Select(offset => today.AddDays(offset - days + 1))
            .Select(day => new DayCount(day, perDay.GetValueOrDefault(day)))
            .ToList();

        return TypedResults.Ok(new AdminStats(
            days, series.Sum(d => d.Count), series,
            Breakdown<EventType>(groups, g => g.EventType),
            Breakdown<OrderStatus>(groups, g => g.Status),
            Breakdown<BudgetRange>(groups, g => g.BudgetRange ?? "Unspecified"),
            averageGuests is { } g ? Math.Round(g, 1) : null,
            medianHours is { } h ? Math.Round(h, 2) : null,
            promo,
            Funnel(("sign-ups", promo.SignUps), ("confirmed", promo.Confirmed), ("codes issued", promo.CodesIssued),
                ("redeemed on a request", redeemed), ("redeemed requests confirmed", redeemedConfirmed))));
    }

    // The database keeps enum member names; the API speaks the same wire names as the orders it returns.
    private static List<LabelCount> Breakdown<TEnum>(List<OrderGroup> groups, Func<OrderGroup, string> key) where TEnum : struct, Enum =>
        [.. groups
            .GroupBy(key)
            .Select(g => new LabelCount(
                Enum.TryParse<TEnum>(g.Key, out var value) ? WireEnum<TEnum>.NameOf(value) : g.Key.ToLowerInvariant(),
                g.Sum(x => x.Count)))
            .OrderByDescending(x => x.Count)];

    private sealed record OrderGroup(string EventType, string Status, string? BudgetRange, int Count, long Guests);

    private sealed record DayRow(string Day, int Count);

    private static List<FunnelStep> Funnel(params (string Label, int Count)[] steps) =>
        [.. steps.Select((step, i) => new FunnelStep(step.Label, step.Count,
            i == 0 || steps[i - 1].Count == 0 ? null : Math.Round((double)step.Count / steps[i - 1].Count, 3)))];
}
