using System.Diagnostics;
using EventBooking.AppHost.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventBooking.AppHost.Backups;

/// <summary>
/// Takes, verifies, lists and prunes backup sets: every service's database, one after another, into a folder of its
/// own that counts only once its manifest is written. One backup at a time, whoever asks (schedule, dashboard, ./backup.sh).
/// </summary>
public sealed class BackupService(AppDataDirectory data, DatabaseSetup databases, IOptions<BackupOptions> options, TimeProvider clock, ILogger<BackupService> logger)
{
    private const string PartialSuffix = ".partial";

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public string Directory => Path.GetFullPath(options.Value.Directory, data.Root);

    public async Task<BackupManifest> TakeAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await TakeOneAsync(cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Every finished set, newest first.</summary>
    public IReadOnlyList<BackupManifest> List() =>
        !System.IO.Directory.Exists(Directory) ? []
        : [.. System.IO.Directory.EnumerateDirectories(Directory).Where(d => !d.EndsWith(PartialSuffix, StringComparison.Ordinal)).Select(BackupManifest.Read).OfType<BackupManifest>().OrderByDescending(m => m.Id, StringComparer.Ordinal)];

    private async Task<BackupManifest> TakeOneAsync(CancellationToken cancellationToken)
    {
        var clockStarted = Stopwatch.StartNew();
        var takenAt = clock.GetUtcNow();
        var id = takenAt.ToString("yyyyMMdd-HHmmss-fff", System.Globalization.CultureInfo.InvariantCulture);
        var final = Path.Combine(Directory, id);
        var partial = System.IO.Directory.CreateDirectory(final + PartialSuffix).FullName;
        try
        {
            // The notifier's database first: every sign-up it knows is then in the API's copy, taken a moment later,
            // which is what a restore reconciles from (RestoreReconciliation in the API).
            var copies = new List<DatabaseCopy>();
            foreach (var (name, sqliteFile) in databases.Databases.OrderBy(d => d.Name == "notifier" ? 0 : 1))
            {
                copies.Add(databases.Server is { } server
                    ? await PostgresCopy.TakeAsync(name, (await server.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken))!, partial, cancellationToken)
                    : await SqliteCopy.TakeAsync(name, sqliteFile, Path.GetRelativePath(data.Root, sqliteFile), partial, cancellationToken));
            }

            var manifest = new BackupManifest(id, takenAt, databases.IsPostgres ? "postgres" : "sqlite", clockStarted.Elapsed.TotalSeconds, copies);
            await File.WriteAllTextAsync(Path.Combine(partial, BackupManifest.FileName), manifest.ToJson(), cancellationToken);
            // The new set is whole and verified: room is made for it first, so the folder never holds more than Keep sets.
            Prune(room: 1);
            System.IO.Directory.Move(partial, final);
            logger.LogInformation("Backup {Id} taken and verified in {Seconds:0.0} s: {Bytes} bytes in {Directory}", id, manifest.Seconds, manifest.Bytes, final);
            return manifest;
        }
        catch
        {
            System.IO.Directory.Delete(partial, recursive: true);
            throw;
        }
    }

    private void Prune(int room)
    {
        foreach (var old in List().Skip(Math.Max(1, options.Value.Keep) - room))
        {
            System.IO.Directory.Delete(Path.Combine(Directory, old.Id), recursive: true);
            logger.LogInformation("Backup {Id} removed (Backup:Keep is {Keep})", old.Id, options.Value.Keep);
        }
    }
}
