using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EventBooking.ApiService.Data;

/// <summary>
/// Per-connection settings SQLite does not keep in the file. synchronous=FULL makes every commit reach the disk
/// (WAL included) before it returns, so a 201/202 survives a crash or power loss, not just a process restart.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = FULL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
