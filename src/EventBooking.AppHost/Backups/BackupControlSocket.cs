using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventBooking.AppHost.Backups;

/// <summary>
/// How ./backup.sh reaches the running stack: a Unix socket in the data folder (only its owner may connect), with
/// <c>POST /backups</c> to take one now and <c>GET /backups</c> to list them. The app host is the one process that
/// knows every database, wherever it runs (a SQLite file, or the PostgreSQL server on a port chosen at start).
/// </summary>
internal sealed class BackupControlSocket(BackupService backups, string path, ILogger<BackupControlSocket> logger) : IHostedService
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        File.Delete(path); // Left by an app host that was killed: nobody listens on it any more.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(path));
        _app = builder.Build();
        _app.MapGet("/backups", () => TypedResults.Text(string.Join('\n', backups.List().Select(m => m.Summary())) + "\n"));
        _app.MapPost("/backups", TakeAsync);
        await _app.StartAsync(cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogInformation("Backups on demand: ./backup.sh (socket {Path})", path);
    }

    private async Task<Results<ContentHttpResult, ProblemHttpResult>> TakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Text((await backups.TakeAsync(cancellationToken)).ToJson() + "\n");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException)
        {
            logger.LogError(ex, "The backup asked for by ./backup.sh failed");
            return TypedResults.Problem(ex.Message, title: "The backup failed");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
            await _app.DisposeAsync();
        }
    }
}
