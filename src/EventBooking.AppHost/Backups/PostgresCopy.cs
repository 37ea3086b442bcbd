using System.Diagnostics;
using Npgsql;

namespace EventBooking.AppHost.Backups;

/// <summary>
/// A PostgreSQL database copied with its own tool: <c>pg_dump</c> in the custom format, from a snapshot this
/// connection exported, so the rows counted here are exactly the rows in the dump. Verified by <c>pg_restore --list</c>.
/// </summary>
internal static class PostgresCopy
{
    /// <summary>The client tools of the installed PostgreSQL 15 (as the local server uses); <c>POSTGRES_BIN</c> picks others.</summary>
    internal static string Tool(string name) => Path.Combine(Environment.GetEnvironmentVariable("POSTGRES_BIN") ?? "/usr/lib/postgresql/15/bin", name);

    public static async Task<DatabaseCopy> TakeAsync(string name, string serverConnectionString, string setDirectory, CancellationToken cancellationToken)
    {
        var file = $"{name}.dump";
        var target = Path.Combine(setDirectory, file);
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, Pooling = false };
        await using var connection = new NpgsqlConnection(connectionString.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var snapshot = (string)(await new NpgsqlCommand("SELECT pg_export_snapshot()", connection, transaction).ExecuteScalarAsync(cancellationToken))!;
        var rows = await CountRowsAsync(connection, transaction, cancellationToken);

        await RunAsync(Tool("pg_dump"), ["--format=custom", "--no-owner", $"--snapshot={snapshot}", $"--file={target}", name], connectionString, cancellationToken);
        var listing = await RunAsync(Tool("pg_restore"), ["--list", target], connectionString, cancellationToken);
        var tablesInDump = listing.Split('\n').Count(line => line.Contains(" TABLE DATA public ", StringComparison.Ordinal));
        if (tablesInDump != rows.Count)
        {
            throw new InvalidDataException($"{target} holds the data of {tablesInDump} table(s); the database has {rows.Count}.");
        }

        return new DatabaseCopy(name, file, new FileInfo(target).Length, rows);
    }

    private static async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
            connection, transaction))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT COUNT(*) FROM public.\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection, transaction);
            rows[table] = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        return rows;
    }

    /// <summary>Runs a client tool with the connection's settings in its environment (the password never on a command line).</summary>
    internal static async Task<string> RunAsync(string tool, IEnumerable<string> arguments, NpgsqlConnectionStringBuilder connection, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = connection.Username;
        start.Environment["PGPASSWORD"] = connection.Password ?? string.Empty;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} failed ({process.ExitCode}): {(await errors).Trim()}");
        }

        return await output;
    }
}
