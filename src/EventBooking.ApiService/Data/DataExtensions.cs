using OpenTelemetry.Trace;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Data;

public static class DataExtensions
{
    private const string ConnectionName = "eventbooking";

    /// <summary>
    /// EF Core on SQLite the way the Aspire integrations do it: connection string from configuration, a health
    /// check in /health, tracing, and migrations applied at start.
    /// </summary>
    public static IHostApplicationBuilder AddEventBookingDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = new SqliteConnectionStringBuilder(
            builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not set (the app host sets it)."))
        {
            // Waits for a competing writer instead of failing at once with "database is locked".
            DefaultTimeout = 30,
        };

        if (Path.GetDirectoryName(Path.GetFullPath(connectionString.DataSource)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        builder.Services.AddDbContextPool<EventBookingDbContext>(options => options
            .UseSqlite(connectionString.ToString())
            .AddInterceptors(new SqlitePragmas()));

        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddHealthChecks().AddDbContextCheck<EventBookingDbContext>("database");
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddEntityFrameworkCoreInstrumentation());

        return builder;
    }
}
