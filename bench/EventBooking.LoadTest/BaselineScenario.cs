using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventBooking.LoadTest;

/// <summary>
/// Two ceilings measured with the same client, count and concurrency as the product scenarios, so that product
/// figures can be read as ratios (absolute numbers drift between runs and machines):
/// a bare Kestrel endpoint answering 202 with no I/O, and one inserting one SQLite row per request in its own
/// transaction with the product's durability and lock waiting (WAL, synchronous=FULL, busy_timeout).
/// </summary>
public static class BaselineScenario
{
    public const int WarmUp = 2_000;

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(int count, int concurrency)
    {
        var directory = Directory.CreateTempSubdirectory("eventbooking-baseline-");
        var database = Path.Combine(directory.FullName, "baseline.db");
        await using (var setup = new SqliteConnection($"Data Source={database}"))
        {
            await setup.OpenAsync();
            await using var create = setup.CreateCommand();
            create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE Rows (Id INTEGER PRIMARY KEY, Email TEXT NOT NULL, Name TEXT NOT NULL, At TEXT NOT NULL);";
            await create.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/no-io", () => Results.Accepted());
        app.MapPost("/sqlite-row", async (SignUp body) =>
        {
            await using var connection = new SqliteConnection($"Data Source={database};Default Timeout=30");
            await connection.OpenAsync();
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO Rows (Email, Name, At) VALUES ($email, $name, $at)";
            insert.Parameters.AddWithValue("$email", body.Email);
            insert.Parameters.AddWithValue("$name", body.Name);
            insert.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("O"));
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            return Results.Accepted();
        });
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = new Uri(address) };
        var results = new List<ScenarioResult>();
        foreach (var (path, name) in new[] { ("/no-io", Report.NoIoBaseline), ("/sqlite-row", Report.SqliteRowBaseline) })
        {
            async Task<bool> Post(int index)
            {
                using var response = await http.PostAsJsonAsync(path, new SignUp($"baseline-{index}@example.com", "Baseline"));
                return response.StatusCode == HttpStatusCode.Accepted;
            }

            // Unrecorded first: a cold server (JIT, connection set-up) would understate the ceiling.
            await LatencyRecorder.RunAsync($"{name} warm-up", Math.Min(count, WarmUp), concurrency, index => Post(-1 - index));
            results.Add(await LatencyRecorder.RunAsync(name, count, concurrency, Post));
        }

        await app.StopAsync();
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
        return results;
    }

    private sealed record SignUp(string Email, string Name);
}
