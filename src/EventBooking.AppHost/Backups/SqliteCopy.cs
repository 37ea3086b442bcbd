using Microsoft.Data.Sqlite;

namespace EventBooking.AppHost.Backups;

/// <summary>
/// A SQLite database copied while its service writes: <c>VACUUM INTO</c> reads one consistent snapshot (a reader
/// never blocks the writer in WAL mode) into a compact new file, which is then checked on its own.
/// </summary>
internal static class SqliteCopy
{
    /// <summary>The copy goes where the file is in the data folder (<paramref name="file"/>, e.g. api/eventbooking.db), so a restore copies the tree back.</summary>
    public static async Task<DatabaseCopy> TakeAsync(string name, string source, string file, string setDirectory, CancellationToken cancellationToken)
    {
        var target = Path.Combine(setDirectory, file);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using (var connection = await OpenAsync(source, SqliteOpenMode.ReadWrite, cancellationToken))
        {
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $target";
            vacuum.Parameters.AddWithValue("$target", target);
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        return new DatabaseCopy(name, file, new FileInfo(target).Length, await VerifyAsync(target, cancellationToken));
    }

    /// <summary>The copy's integrity check, then its rows per table; a copy that fails the check is no backup.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> VerifyAsync(string copy, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(copy, SqliteOpenMode.ReadOnly, cancellationToken);
        var check = await ScalarAsync(connection, "PRAGMA integrity_check", cancellationToken);
        if (check is not "ok")
        {
            throw new InvalidDataException($"{copy} fails its integrity check: {check}");
        }

        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            rows[table] = Convert.ToInt64(await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", cancellationToken));
        }

        return rows;
    }

    private static async Task<SqliteConnection> OpenAsync(string file, SqliteOpenMode mode, CancellationToken cancellationToken)
    {
        // No pooling: nothing of the backup stays open on the live file or on the copy once it is done.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = mode, Pooling = false, DefaultTimeout = 60 }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout = 30000";
        await wait.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
