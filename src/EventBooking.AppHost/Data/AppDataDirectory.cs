using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventBooking.AppHost.Data;

/// <summary>
/// Where the stack keeps its state (SQLite files, the local broker's data).
/// Persistent for <c>dotnet run</c> / <c>./run.sh</c>, so requests survive a restart; a fresh temporary folder per
/// app-host instance for tests, removed when the app host stops, so test runs never see each other's data.
/// </summary>
public sealed record AppDataDirectory(string Root, bool IsTemporary)
{
    private const string TemporaryParentName = "eventbooking-data";
    private const string OwnerFileName = "owner.pid";

    public string For(string component) => Directory.CreateDirectory(Path.Combine(Root, component)).FullName;

    public static AppDataDirectory Resolve(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("EventBooking");
        var useTemporary = section.GetValue<bool>("UseTemporaryData");
        var configured = section["DataDirectory"];

        if (!useTemporary && !string.IsNullOrWhiteSpace(configured))
        {
            var root = Path.GetFullPath(configured, builder.AppHostDirectory);
            return new AppDataDirectory(Directory.CreateDirectory(root).FullName, IsTemporary: false);
        }

        var parent = Path.Combine(Path.GetTempPath(), TemporaryParentName);
        PruneOrphans(parent);
        var temporaryRoot = Directory.CreateDirectory(Path.Combine(parent, Guid.NewGuid().ToString("N")[..12])).FullName;
        File.WriteAllText(Path.Combine(temporaryRoot, OwnerFileName), Environment.ProcessId.ToString());

        var directory = new AppDataDirectory(temporaryRoot, IsTemporary: true);
        builder.Services.AddHostedService(sp => new TemporaryDataCleanup(
            directory, sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<TemporaryDataCleanup>>()));
        return directory;
    }

    /// <summary>Removes temporary folders whose app host died without cleaning up (e.g. kill -9).</summary>
    private static void PruneOrphans(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var candidate in Directory.EnumerateDirectories(parent))
        {
            var ownerFile = Path.Combine(candidate, OwnerFileName);
            if (File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile), out var pid) && IsAlive(pid))
            {
                continue;
            }

            TryDelete(candidate, out _);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    internal static bool TryDelete(string path, out Exception? error)
    {
        try
        {
            Directory.Delete(path, recursive: true);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex;
            return false;
        }
    }

    private sealed class TemporaryDataCleanup(
        AppDataDirectory directory, IHostApplicationLifetime lifetime, ILogger<TemporaryDataCleanup> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopped.Register(() =>
            {
                if (!TryDelete(directory.Root, out var error))
                {
                    // Left for the next app host's prune; worth a warning, not a crash on shutdown.
                    logger.LogWarning(error, "Could not remove temporary data folder {Folder}", directory.Root);
                }
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
