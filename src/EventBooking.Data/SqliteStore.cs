using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Polly;
using Polly.Retry;

namespace EventBooking.Data;

public static class SqliteStore
{
    /// <summary>
    /// EF Core on SQLite the way the Aspire integrations do it: connection string from configuration, a health
    /// check in /health, tracing, and the checked-in migrations applied before the service starts listening.
    /// </summary>
    internal static IHostApplicationBuilder AddSqliteStore<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
    {
        // How long a statement waits for a competing writer before it fails with "database is locked" (and the loop
        // that ran it retries). A setting, so a chaos test can outlast it with a lock of seconds.
        var busyTimeout = builder.Configuration.GetValue("Database:BusyTimeout", TimeSpan.FromSeconds(30));
        var connectionString = new SqliteConnectionStringBuilder(
            builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not set (the app host sets it)."))
        {
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        };

        if (Path.GetDirectoryName(Path.GetFullPath(connectionString.DataSource)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        // Interceptors from the container too: e.g. the mail outbox's, which wakes its sender after a commit.
        builder.Services.AddDbContextPool<TContext>((services, options) => options
            .UseSqlite(connectionString.ToString())
            .AddInterceptors(new SqlitePragmas(busyTimeout))
            .AddInterceptors(services.GetServices<IInterceptor>()));

        builder.Services.AddHostedService<DatabaseInitializer<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database");
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddEntityFrameworkCoreInstrumentation());

        return builder;
    }

    /// <summary>
    /// Every DateTime is UTC: SQLite has no time zone type, so it is stored as UTC and read back marked as UTC; on
    /// PostgreSQL it maps to timestamptz, which Npgsql accepts only as UTC.
    /// </summary>
    public static void UseUtcDateTimes(this ModelConfigurationBuilder configuration) =>
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>
/// Per-connection settings SQLite does not keep in the file. synchronous=FULL makes every commit reach the disk
/// (WAL included) before it returns, so a 201/202 (or a stored decision) survives a crash or power loss.
/// busy_timeout lets SQLite itself wait for a competing writer in steps of a few milliseconds; without it
/// Microsoft.Data.Sqlite retries a busy statement only every 150 ms, asleep on a thread-pool thread (5.6% of the
/// API's thread time in a profile of a 10,000 sign-up burst, where the sign-up, outbox and status writers meet).
/// </summary>
internal sealed class SqlitePragmas(TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private readonly string _pragmas = $"PRAGMA synchronous = FULL; PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// Applies the checked-in migrations before the service starts listening, so no request meets an old schema.
/// Hosted services start before Kestrel; a failure here stops the service with the reason in its log.
/// </summary>
internal sealed class DatabaseInitializer<TContext>(IServiceScopeFactory scopes, ILogger<DatabaseInitializer<TContext>> logger)
    : IHostedService where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        // Nothing to apply: nothing to write. A database another process holds for writing (a backup, a long
        // transaction) then delays this service's writes, not its start.
        if (pending.Count > 0)
        {
            await Migrate(db, cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers run while a write commits; the mode is stored in the file (set again, it is a no-op).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        logger.LogInformation("{Database} ready; applied {Count} migration(s): {Migrations}", typeof(TContext).Name, pending.Count, pending);
    }

    /// <summary>
    /// Replicas start together: on PostgreSQL both may try to create the database, and one loses that race. EF Core
    /// serialises the migrations themselves; a second attempt finds the database there.
    /// </summary>
    private static Task Migrate(TContext db, CancellationToken cancellationToken) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<DbException>(),
                MaxRetryAttempts = 5,
                Delay = TimeSpan.FromSeconds(1),
            })
            .Build()
            .ExecuteAsync(async token => await db.Database.MigrateAsync(token), cancellationToken)
            .AsTask();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
