using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace EventBooking.Data;

/// <summary>Which database the services keep their data in (<c>EventBooking:Database</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>One file per service: the default, for one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: for several API replicas and a standby notifier.</summary>
    Postgres,
}

public static class Databases
{
    public const string ProviderSetting = "EventBooking:Database";

    public static DatabaseProvider ProviderOf(IConfiguration configuration) =>
        configuration.GetValue(ProviderSetting, DatabaseProvider.Sqlite);

    /// <summary>
    /// Registers <typeparamref name="TContext"/> on the configured provider. With PostgreSQL the context is
    /// <typeparamref name="TPostgres"/>, a subclass that only names the PostgreSQL migrations (EF Core keeps one
    /// migrations set per context type), enriched by the Aspire Npgsql integration (tracing, metrics).
    /// </summary>
    public static IHostApplicationBuilder AddDatabase<TContext, TPostgres>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
        where TPostgres : TContext
    {
        // Registered before the context, whose options take every interceptor in the container.
        builder.Services.AddSingleton<StorageHealth>();
        builder.Services.AddSingleton<IInterceptor>(services => services.GetRequiredService<StorageHealth>());
        builder.Services.AddHealthChecks().AddCheck<StorageHealth>("storage");
        if (ProviderOf(builder.Configuration) == DatabaseProvider.Sqlite)
        {
            return builder.AddSqliteStore<TContext>(connectionName);
        }

        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not set (the app host sets it).");
        builder.Services.AddDbContextPool<TPostgres>((services, options) => options
            .UseNpgsql(connectionString)
            .AddInterceptors(services.GetServices<IInterceptor>()));
        // No retrying execution strategy: it refuses the services' own transactions, and their loops retry already.
        // Its health check is named after the context type: /health names it "database" on either provider instead.
        builder.EnrichNpgsqlDbContext<TPostgres>(settings =>
        {
            settings.DisableRetry = true;
            settings.DisableHealthChecks = true;
        });
        builder.Services.AddHealthChecks().AddDbContextCheck<TPostgres>("database");
        builder.Services.AddScoped<TContext>(services => services.GetRequiredService<TPostgres>());
        builder.Services.AddHostedService<DatabaseInitializer<TContext>>();
        return builder;
    }

    /// <summary>A unique index refused the write (a race another writer won), on either provider.</summary>
    public static bool IsUniqueViolation(this DbUpdateException failure) =>
        failure.InnerException is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
