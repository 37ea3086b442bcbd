using EventBooking.AppHost.Backups;
using EventBooking.AppHost.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public static class BackupExtensions
{
    /// <summary>Where ./restore.sh leaves word of a restore, for the API to reconcile from at its next start.</summary>
    public const string RestoreMarkerFile = "restored.json";

    /// <summary>
    /// Backups of every database (<see cref="BackupOptions"/>): on a schedule, from the dashboard's "Back up now" on the
    /// api resource, and from ./backup.sh through the data folder's control socket (a persistent data folder only).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBackups(
        this IResourceBuilder<ProjectResource> api, IDistributedApplicationBuilder builder, AppDataDirectory data, DatabaseSetup databases)
    {
        builder.Services.AddOptions<BackupOptions>().Bind(builder.Configuration.GetSection(BackupOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<BackupService>(services, data, databases));
        builder.Services.AddHostedService<BackupSchedule>();
        PendingRestore.LoadPendingDumps(builder, data, databases);
        if (!data.IsTemporary)
        {
            builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<BackupControlSocket>(services, Path.Combine(data.Root, "control.sock")));
        }

        return api
            .WithEnvironment("Restore__MarkerFile", Path.Combine(data.Root, RestoreMarkerFile))
            .WithCommand("backup", "Back up now", async context =>
            {
                var backups = context.Services.GetRequiredService<BackupService>();
                try
                {
                    var manifest = await backups.TakeAsync(context.CancellationToken);
                    return new ExecuteCommandResult { Success = true, Message = $"Backup {manifest.Id}: {manifest.Bytes / 1024} KB in {Path.Combine(backups.Directory, manifest.Id)}" };
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    context.Services.GetRequiredService<ILogger<BackupService>>().LogError(ex, "The backup asked for in the dashboard failed");
                    return new ExecuteCommandResult { Success = false, Message = ex.Message };
                }
            }, new CommandOptions { Description = "Copies and verifies every database into Backup:Directory", IconName = "DatabaseArrowDown" });
    }
}
