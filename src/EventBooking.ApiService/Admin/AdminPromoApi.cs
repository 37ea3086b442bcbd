using EventBooking.ApiService.Auth;
using EventBooking.ApiService.Data;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Admin;

public static class AdminPromoApi
{
    public static IEndpointRouteBuilder MapAdminPromoApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/admin/promo")
            .WithTags("Admin")
            .RequireAuthorization(AdminOptions.ManagerPolicy)
            .MapGet("/registrations", ListRegistrationsAsync)
            .WithName("AdminListPromoRegistrations")
            .WithSummary("Promo sign-ups in arrival order, searchable by email, name or code.");
        return routes;
    }

    public static async Task<Ok<PagedList<AdminPromoRegistration>>> ListRegistrationsAsync(
        [AsParameters] PromoRegistrationQuery query, EventBookingDbContext db, CancellationToken cancellationToken)
    {
        var registrations = db.PromoRegistrations.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = SearchPattern.Containing(query.Search);
            registrations = registrations.Where(r =>
                EF.Functions.Like(r.EmailNormalized, pattern, SearchPattern.Escape)
                || EF.Functions.Like(r.Name.ToLower(), pattern, SearchPattern.Escape)
                || EF.Functions.Like(r.Code!.ToLower(), pattern, SearchPattern.Escape));
        }

        var page = query.Page ?? 1;
        var pageSize = Math.Min(query.PageSize ?? 50, 100);
        var total = await registrations.CountAsync(cancellationToken);
        var items = await registrations.OrderBy(r => r.Sequence).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(r => new AdminPromoRegistration(r.Id, r.Sequence, r.Email, r.Name, r.Status, r.Code, r.CreatedAt, r.DecidedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedList<AdminPromoRegistration>(items, total, page, pageSize));
    }
}
