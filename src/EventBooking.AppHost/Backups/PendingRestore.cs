using EventBooking.AppHost.Data;
using Npgsql;

namespace EventBooking.AppHost.Backups;

/// <summary>
/// A PostgreSQL backup set that ./restore.sh left in <c>restore-pending</c>: loaded once the server is up and before
/// the services (which wait for the server) start, each database dropped and made again from its dump.
/// </summary>
internal static class PendingRestore
{
    public const string FileName = "restore-pending";

    public static void LoadPendingDumps(IDistributedApplicationBuilder builder, AppDataDirectory data, DatabaseSetup databases)
    {
        var pending = Path.Combine(data.Root, FileName);
        if (databases.Server is not { } server || !File.Exists(pending))
        {
            return;
        }

        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (_, cancellationToken) =>
        {
            var set = (await File.ReadAllTextAsync(pending, cancellationToken)).Trim();
            var manifest = BackupManifest.Read(set) ?? throw new DistributedApplicationException($"{pending} names {set}, which is not a finished backup set.");
            var server = new NpgsqlConnectionStringBuilder(await databases.Server.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken))
            {
                Database = "postgres",
                Pooling = false,
            };
            foreach (var copy in manifest.Databases)
            {
                await using (var connection = new NpgsqlConnection(server.ToString()))
                {
                    await connection.OpenAsync(cancellationToken);
                    var name = new NpgsqlCommandBuilder().QuoteIdentifier(copy.Name);
                    await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection).ExecuteNonQueryAsync(cancellationToken);
                    await new NpgsqlCommand($"CREATE DATABASE {name}", connection).ExecuteNonQueryAsync(cancellationToken);
                }

                var database = new NpgsqlConnectionStringBuilder(server.ToString()) { Database = copy.Name };
                await PostgresCopy.RunAsync(PostgresCopy.Tool("pg_restore"), ["--no-owner", "--exit-on-error", $"--dbname={copy.Name}", Path.Combine(set, copy.File)], database, cancellationToken);
            }

            File.Delete(pending);
        });
    }
}
