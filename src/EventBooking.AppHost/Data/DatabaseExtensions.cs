using EventBooking.AppHost.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// Where the services keep their data: <c>EventBooking:Database</c> = sqlite (default: a file per service in the data
/// folder) or postgres (resource <c>postgres</c>: the Aspire PostgreSQL container when a runtime answers, otherwise the
/// installed PostgreSQL 15 as a process with its cluster in the data folder; <c>Postgres:Mode</c> forces one).
/// </summary>
public sealed class DatabaseSetup
{
    internal AppDataDirectory Data { get; init; } = null!;

    internal IResourceBuilder<IResourceWithConnectionString>? Server { get; init; }

    /// <summary>Each service's database: its name (on the server) and its SQLite file (without a server).</summary>
    internal List<(string Name, string SqliteFile)> Databases { get; } = [];

    public bool IsPostgres => Server is not null;
}

public static class DatabaseExtensions
{
    public static DatabaseSetup AddDatabases(this IDistributedApplicationBuilder builder, AppDataDirectory data)
    {
        if (!string.Equals(builder.Configuration["EventBooking:Database"] ?? "sqlite", "postgres", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseSetup { Data = data };
        }

        var mode = builder.Configuration.GetValue("Postgres:Mode", RunMode.Auto);
        if (ContainerRuntime.Use(builder, mode))
        {
            var container = builder.AddPostgres("postgres");
            return new DatabaseSetup { Data = data, Server = data.IsTemporary ? container : container.WithDataVolume() };
        }

        return new DatabaseSetup { Data = data, Server = builder.AddLocalPostgres("postgres", data) };
    }

    private static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, AppDataDirectory data)
    {
        var script = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "..", "scripts", "postgres-local.sh"));
        // postgres-password: generated once and kept in the app host's user secrets; the cluster holds the cookie keys.
        var password = builder.AddParameter($"{name}-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
        var resource = new LocalPostgresResource(name, script, data.For("postgres"), password.Resource);
        var healthCheckKey = $"{name}-ready";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new PostgresReadyCheck(resource.ConnectionStringExpression.GetValueAsync), failureStatus: default, tags: default));
        return builder.AddResource(resource)
            .WithEndpoint(name: LocalPostgresResource.EndpointName, scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithArgs(resource.Script)
            .WithEnvironment("PGDATA", Path.Combine(resource.DataDirectory, "cluster"))
            .WithEnvironment("POSTGRES_PASSWORD", password)
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// Gives a service its database <paramref name="name"/>: a SQLite file in <paramref name="sqliteFolder"/>, or that
    /// database on the PostgreSQL server (created by the service's migrations), waited for.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDatabase(
        this IResourceBuilder<ProjectResource> service, DatabaseSetup setup, string name, string sqliteFolder)
    {
        var sqliteFile = Path.Combine(setup.Data.Root, sqliteFolder, $"{name}.db");
        setup.Databases.Add((name, sqliteFile));
        if (setup.Server is not { } server)
        {
            setup.Data.For(sqliteFolder);
            return service.WithEnvironment($"ConnectionStrings__{name}", $"Data Source={sqliteFile}");
        }

        return service
            .WithEnvironment("EventBooking__Database", "postgres")
            .WithEnvironment($"ConnectionStrings__{name}", ReferenceExpression.Create($"{server.Resource.ConnectionStringExpression};Database={name}"))
            .WaitFor(server);
    }

    private sealed class PostgresReadyCheck(Func<CancellationToken, ValueTask<string?>> connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(await connectionString(cancellationToken));
                await connection.OpenAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy(ex.Message, ex);
            }
        }
    }
}
