using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EventBooking.Data;

/// <summary>
/// "Only one of the replicas does this at a time" (relay the outbox, send the mail). On PostgreSQL a session advisory
/// lock held on a connection of the lease's own: the replica that has it works, the others stand by and take over
/// within about a second of its process or connection going away. On SQLite (one process per file) it is always held.
/// </summary>
public sealed class DatabaseLease : IAsyncDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(2);

    private readonly NpgsqlConnection? _connection;
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _watching = Task.CompletedTask;

    private DatabaseLease(NpgsqlConnection? connection)
    {
        _connection = connection;
        if (connection is not null)
        {
            _watching = WatchAsync(connection);
        }
    }

    /// <summary>Cancelled when the lock can no longer be trusted (its connection failed): stop, and take the lease again.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Waits until this replica holds lease <paramref name="key"/>; <paramref name="standingBy"/> is called while another holds it.</summary>
    public static async Task<DatabaseLease> TakeAsync(DbContext db, long key, Action standingBy, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return new DatabaseLease(null);
        }

        var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } };
            while (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
            {
                standingBy();
                await Task.Delay(Retry, cancellationToken);
            }

            return new DatabaseLease(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task WatchAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            while (!_lost.IsCancellationRequested)
            {
                await Task.Delay(Check, _lost.Token);
                await ping.ExecuteScalarAsync(_lost.Token);
            }
        }
        catch (Exception failure) when (failure is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            // The connection, and with it the lock, is gone (or the lease was given back).
        }
        finally
        {
            await _lost.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lost.CancelAsync();
        await _watching;
        if (_connection is not null)
        {
            // Closing the session releases its advisory locks.
            await _connection.DisposeAsync();
        }

        _lost.Dispose();
    }
}
