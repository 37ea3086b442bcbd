using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventBooking.AppHost.Backups;

/// <summary>A backup every <see cref="BackupOptions.Interval"/> while the stack runs; a failed one is logged and the next one tried on time.</summary>
internal sealed class BackupSchedule(BackupService backups, IOptions<BackupOptions> options, TimeProvider clock, ILogger<BackupSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await backups.TakeAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A full backup disk or a database that is down must not stop the stack, nor the next backup.
                logger.LogError(ex, "The scheduled backup failed; the next one is due in {Interval}", options.Value.Interval);
            }
        }
    }
}
