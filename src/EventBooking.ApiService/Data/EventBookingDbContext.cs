using EventBooking.ApiService.Orders;
using EventBooking.ApiService.Promo;
using Microsoft.EntityFrameworkCore;
using EventBooking.Data;

namespace EventBooking.ApiService.Data;

public sealed class EventBookingDbContext(DbContextOptions<EventBookingDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    public DbSet<PromoRegistration> PromoRegistrations => Set<PromoRegistration>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(EventBookingDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseUtcDateTimes();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}
