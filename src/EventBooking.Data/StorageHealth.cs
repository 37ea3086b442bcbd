using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventBooking.Data;

/// <summary>
/// Whether this service's database takes writes. A write that fails for want of space or on an I/O error turns
/// /health ("storage") Unhealthy and is logged once, naming the database, until a write succeeds again; the API
/// answers such a failure 503 (<see cref="IsStorageFailure"/>), never 500. Nothing half-written stays: the failed
/// transaction is rolled back whole.
/// </summary>
public sealed class StorageHealth(ILogger<StorageHealth> logger) : SaveChangesInterceptor, IHealthCheck
{
    private string? _failure;

    /// <summary>A full disk or an I/O error under the database (SQLite or PostgreSQL), anywhere in the exception chain.</summary>
    public static bool IsStorageFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteFull or SqliteIoError }
                || e is PostgresException { SqlState: PostgresErrorCodes.DiskFull or PostgresErrorCodes.IoError })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Says that <paramref name="database"/> refused a write for <paramref name="exception"/>; logged the first time only.</summary>
    public void WriteFailed(string database, Exception exception)
    {
        var failure = $"the {database} database cannot store writes: {Innermost(exception).Message}";
        if (Interlocked.Exchange(ref _failure, failure) is null)
        {
            logger.LogError(exception, "Writes fail: {Failure}. Free space (or fix the disk); writes resume by themselves.", failure);
        }
    }

    /// <summary>Says that a write was stored: the database takes writes again.</summary>
    public void WriteSucceeded(string database)
    {
        if (Volatile.Read(ref _failure) is not null && Interlocked.Exchange(ref _failure, null) is not null)
        {
            logger.LogInformation("The {Database} database stores writes again", database);
        }
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Observe(eventData);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData);
        return Task.CompletedTask;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            WriteSucceeded(NameOf(context));
        }

        return ValueTask.FromResult(result);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Volatile.Read(ref _failure) is { } failure ? HealthCheckResult.Unhealthy(failure) : HealthCheckResult.Healthy("writes are stored"));

    /// <summary>How logs and /health name a context's database: its file (SQLite) or its name on its server.</summary>
    public static string NameOf(DbContext context)
    {
        var connection = context.Database.GetDbConnection();
        return connection is SqliteConnection sqlite ? Path.GetFileName(sqlite.DataSource) : $"{connection.Database} ({connection.DataSource})";
    }

    private void Observe(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context && IsStorageFailure(eventData.Exception))
        {
            WriteFailed(NameOf(context), eventData.Exception);
        }
    }

    private static Exception Innermost(Exception exception) => exception.InnerException is { } inner ? Innermost(inner) : exception;

    // SQLite's primary result codes: SQLITE_FULL (13) and SQLITE_IOERR (10, whose extended codes keep 10 as their low byte).
    private const int SqliteFull = 13;
    private const int SqliteIoError = 10;
}
