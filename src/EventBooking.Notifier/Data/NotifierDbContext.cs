using EventBooking.Data;
using EventBooking.Mail;
using EventBooking.Notifier.Promo;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EventBooking.Notifier.Data;

public sealed class NotifierDbContext(DbContextOptions<NotifierDbContext> options) : DbContext(options)
{
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
