using System.Text.Json;

namespace EventBooking.AppHost.Backups;

/// <summary>One database in a backup set: its file, its size and the rows of each table, as verified in the copy.</summary>
public sealed record DatabaseCopy(string Name, string File, long Bytes, IReadOnlyDictionary<string, long> Rows);

/// <summary>
/// What a backup set holds (manifest.json): the databases of one moment, each verified. A set without a manifest is
/// unfinished and is neither listed nor restored.
/// </summary>
public sealed record BackupManifest(string Id, DateTimeOffset TakenAt, string Database, double Seconds, IReadOnlyList<DatabaseCopy> Databases)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public long Bytes => Databases.Sum(d => d.Bytes);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BackupManifest? Read(string setDirectory)
    {
        var path = Path.Combine(setDirectory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>One line for a list: when, how big, what.</summary>
    public string Summary() =>
        $"{Id}  {TakenAt:yyyy-MM-dd HH:mm:ss}Z  {(Bytes < 1024 * 1024 ? $"{Bytes / 1024.0,6:0} KB" : $"{Bytes / 1024.0 / 1024.0,6:0.0} MB")}  {Database}: " +
        string.Join(", ", Databases.Select(d => $"{d.Name} ({d.Rows.Values.Sum()} rows)"));
}
