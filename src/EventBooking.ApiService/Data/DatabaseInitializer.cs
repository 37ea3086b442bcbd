using Microsoft.EntityFrameworkCore;

namespace EventBooking.ApiService.Data;

/// <summary>
/// Applies the checked-in migrations before the API starts listening, so no request ever meets an old schema.
/// Hosted services start before Kestrel; a failure here stops the service with the reason in its log.
/// </summary>
internal sealed class DatabaseInitializer(IServiceScopeFactory scopes, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventBookingDbContext>();

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets readers (lookups, the back office) run while a write commits; the mode is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);

        logger.LogInformation("Database ready; applied {Count} migration(s): {Migrations}", pending.Count, pending);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
