using EventBooking.Data;
using EventBooking.Mail;
using EventBooking.Notifier.Promo;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EventBooking.Notifier.Data;

/// <summary>The notifier's database: its decisions and its mail outbox.</summary>
public class NotifierDbContext : DbContext
{
    public NotifierDbContext(DbContextOptions<NotifierDbContext> options)
        : base(options)
    {
    }

    /// <summary>For <see cref="PostgresNotifierDbContext"/>, the same model with its own migrations.</summary>
    protected NotifierDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<PromoDecision> Decisions => Set<PromoDecision>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var decision = modelBuilder.Entity<PromoDecision>();
        decision.ToTable("PromoDecisions");
        decision.HasKey(d => d.RegistrationId);
        decision.Property(d => d.RegistrationId).HasMaxLength(32);
        decision.Property(d => d.EmailNormalized).HasMaxLength(254);
        decision.Property(d => d.Code).HasMaxLength(32);
        decision.HasIndex(d => d.Code).IsUnique();
        decision.HasIndex(d => d.Sequence).IsUnique();
        // At most one code per email, enforced by the database itself.
        decision.HasIndex(d => d.EmailNormalized).IsUnique().HasFilter("\"Code\" IS NOT NULL").HasDatabaseName("IX_PromoDecisions_OneCodePerEmail");
        modelBuilder.AddMailOutbox();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseUtcDateTimes();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

}

/// <summary>Lets `dotnet ef migrations add` build the model without the app host's connection string.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<NotifierDbContext>
{
    public NotifierDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NotifierDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>The notifier's database on PostgreSQL: the same model; the type only names its own migrations set.</summary>
public sealed class PostgresNotifierDbContext(DbContextOptions<PostgresNotifierDbContext> options) : NotifierDbContext(options);

/// <summary>The same for the PostgreSQL migrations (`dotnet ef migrations add X --context PostgresNotifierDbContext`).</summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresNotifierDbContext>
{
    public PostgresNotifierDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNotifierDbContext>().UseNpgsql("Host=localhost;Database=design-time").Options);
}
