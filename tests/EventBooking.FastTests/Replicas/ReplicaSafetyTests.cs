using EventBooking.ApiService.Data;
using EventBooking.FastTests.Infrastructure;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.FastTests.Replicas;

/// <summary>Two API processes over one database, as with several replicas: what one does must hold on the other.</summary>
public sealed class ReplicaSafetyTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"eventbooking-replicas-{Guid.NewGuid():N}");
    private readonly ApiFactory _first;
    private readonly ApiFactory _second;

    public ReplicaSafetyTests()
    {
        _first = new ReplicaFactory(_folder);
        _second = new ReplicaFactory(_folder);
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task A_managers_cookie_from_one_replica_is_honoured_by_the_other()
    {
        // One browser: its cookies go to both replicas (cookies are not kept per port).
        var browser = new CookieContainer();
        using var onFirst = _first.ClientAt("192.0.2.90", browser);
        using var onSecond = _second.ClientAt("192.0.2.90", browser);

        using var signIn = await onFirst.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = ApiFactory.ManagerEmail, password = ApiFactory.ManagerPassword });
        using var me = await onSecond.GetAsync("/api/admin/auth/me");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        // On one machine the default key folder is shared too; replicas on other machines share only the database.
        using var db = _first.OpenDatabase();
        using var keys = db.CreateCommand();
        keys.CommandText = "SELECT COUNT(*) FROM DataProtectionKeys";
        Assert.True((long)keys.ExecuteScalar()! >= 1, "the cookie's key is not in the shared database");
    }

    [Fact]
    public async Task A_status_saved_from_a_stale_read_fails_instead_of_replacing_a_newer_one()
    {
        using var client = _first.ClientAt("192.0.2.91");
        using var signUp = await client.PostAsJsonAsync("/api/promo/registrations", new { email = $"replica-{Guid.NewGuid():N}@example.com", name = "Rep" });
        var id = (await signUp.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("registrationId").GetString();
        await using var firstScope = _first.Services.CreateAsyncScope();
        await using var secondScope = _second.Services.CreateAsyncScope();
        var firstDb = firstScope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        var secondDb = secondScope.ServiceProvider.GetRequiredService<EventBookingDbContext>();
        var newer = await firstDb.PromoRegistrations.SingleAsync(r => r.Id == id);
        var stale = await secondDb.PromoRegistrations.SingleAsync(r => r.Id == id);

        (newer.Status, newer.StatusVersion) = (PromoStatus.CodeIssued, PromoStatusChanged.FinalVersion);
        await firstDb.SaveChangesAsync();
        (stale.Status, stale.StatusVersion) = (PromoStatus.Processing, 2);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => secondDb.SaveChangesAsync());
        await using var check = _second.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<EventBookingDbContext>().PromoRegistrations.AsNoTracking().SingleAsync(r => r.Id == id);
        Assert.Equal((PromoStatus.CodeIssued, PromoStatusChanged.FinalVersion), (stored.Status, stored.StatusVersion));
    }
}
