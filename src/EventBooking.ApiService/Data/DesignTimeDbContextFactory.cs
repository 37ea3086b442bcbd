using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EventBooking.ApiService.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without the app host's connection string.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<EventBookingDbContext>
{
    public EventBookingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<EventBookingDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>The same for the PostgreSQL migrations (`dotnet ef migrations add X --context PostgresEventBookingDbContext`).</summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresEventBookingDbContext>
{
    public PostgresEventBookingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresEventBookingDbContext>().UseNpgsql("Host=localhost;Database=design-time").Options);
}
