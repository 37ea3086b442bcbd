using EventBooking.ApiService.Messaging;
using EventBooking.ApiService.Notifications;
using EventBooking.ApiService.Promo;
using EventBooking.ApiService.Promo.ProofOfWork;
using EventBooking.Data;
using EventBooking.Mail;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Data;

/// <summary>The API's database: orders, promo registrations, the outbox, and the managers' accounts (Identity).</summary>
public class EventBookingDbContext : IdentityDbContext<IdentityUser>, IDataProtectionKeyContext
{
    public EventBookingDbContext(DbContextOptions<EventBookingDbContext> options)
        : base(options)
    {
    }

    /// <summary>For <see cref="PostgresEventBookingDbContext"/>, the same model with its own migrations.</summary>
    protected EventBookingDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The keys that protect cookies, shared by every API replica so a manager's cookie works on any of them.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderStatusChange> OrderStatusChanges => Set<OrderStatusChange>();

    public DbSet<PromoRegistration> PromoRegistrations => Set<PromoRegistration>();

    public DbSet<UsedChallenge> UsedChallenges => Set<UsedChallenge>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<ManagerSettings> ManagerSettings => Set<ManagerSettings>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(EventBookingDbContext).Assembly);
        modelBuilder.AddMailOutbox();
        if (Database.IsNpgsql())
        {
            // PostgreSQL's identity values are not gap-free (a rolled-back insert spends one), and the notifier waits
            // for every sequence before the next: the sign-up writer hands them out itself, under a lock.
            modelBuilder.Entity<PromoRegistration>().Property(r => r.Sequence).ValueGeneratedNever();
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseUtcDateTimes();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}
