using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace EventBooking.LoadTest;

/// <summary>
/// The back office on a big table: seeds orders straight into the API's SQLite file (posting 100,000 orders through
/// HTTP would take a quarter of an hour and measure something else), then times the manager's queries.
/// </summary>
public static class AdminQueriesScenario
{
    private const int Repeats = 30;
    private const int WarmUps = 5;

    private static readonly string[] EventTypes = ["Wedding", "Corporate", "Birthday", "Conference", "PrivateParty", "Other"];
    private static readonly string?[] Budgets = [null, "Under5k", "From5kTo15k", "From15kTo50k", "Over50k"];
    private static readonly string[] Statuses = ["New", "New", "New", "Contacted", "Confirmed", "Declined", "Cancelled"];

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(HttpClient http, LoadTestOptions options)
    {
        if (options.Database is { } database)
        {
            var seeded = Stopwatch.StartNew();
            var count = options.Count ?? 100_000;
            Seed(database, count);
            Console.WriteLine($"seeded {count:N0} orders in {seeded.Elapsed.TotalSeconds:0.0} s");
        }

        using var signIn = await http.PostAsJsonAsync("/api/admin/auth/sign-in", new { email = options.ManagerEmail, password = options.ManagerPassword });
        if (signIn.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Manager sign-in failed with {(int)signIn.StatusCode}: set --manager-email and EVENTBOOKING_MANAGER_PASSWORD.");
        }

        var cookie = signIn.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        var queries = new (string Name, string Path)[]
        {
            ("list: newest, page of 50", "/api/admin/orders?pageSize=50"),
            ("list: page 200 of 50", "/api/admin/orders?pageSize=50&page=200"),
            ("list: status + type filter", "/api/admin/orders?pageSize=50&status=contacted&eventType=wedding"),
            ("list: search text", "/api/admin/orders?pageSize=50&search=lovelace"),
            ("list: sort by guests", "/api/admin/orders?pageSize=50&sort=guests"),
            ("stats: 30 days", "/api/admin/stats?days=30"),
            ("stats: 90 days", "/api/admin/stats?days=90"),
        };

        var results = new List<ScenarioResult>();
        foreach (var (name, path) in queries)
        {
            async Task<bool> Get(int _)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Add("Cookie", cookie);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                return response.StatusCode == HttpStatusCode.OK;
            }

            // The first calls pay for JIT and a cold page cache; a manager's day is the warm case.
            await LatencyRecorder.RunAsync(name, WarmUps, 1, Get);
            results.Add(await LatencyRecorder.RunAsync(name, Repeats, 1, Get));
        }

        return results;
    }

    private const string ReferenceAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

    // EB-XXXX-XXXX like the real ones: two characters per seeding run, six from the row number.
    private static string Reference(string run, int index)
    {
        Span<char> tail = stackalloc char[6];
        for (var i = tail.Length - 1; i >= 0; i--, index /= ReferenceAlphabet.Length)
        {
            tail[i] = ReferenceAlphabet[index % ReferenceAlphabet.Length];
        }

        var digits = new string(tail);
        return $"EB-{run}{digits[..2]}-{digits[2..]}";
    }

    private static void Seed(string databasePath, int count)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Default Timeout=60");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var order = connection.CreateCommand();
        order.CommandText = """
            INSERT INTO "Orders" ("Id", "Reference", "CustomerName", "Email", "EmailNormalized", "Phone", "EventType",
                "EventDate", "GuestCount", "Venue", "BudgetRange", "Notes", "ConsentToContact", "Status", "CreatedAt",
                "UpdatedAt", "Version")
            VALUES ($id, $reference, $name, $email, $email, NULL, $type, $date, $guests, $venue, $budget, $notes, 1,
                $status, $created, $created, $version)
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "$id", "$reference", "$name", "$email", "$type", "$date", "$guests", "$venue", "$budget", "$notes", "$status", "$created", "$version" })
        {
            p[name] = order.Parameters.Add(name, SqliteType.Text);
        }

        using var history = connection.CreateCommand();
        history.CommandText = """
            INSERT INTO "OrderStatusChanges" ("OrderId", "From", "To", "Note", "ChangedBy", "ChangedAt")
            VALUES ($order, 'New', $to, NULL, 'seed@eventbooking.local', $at)
            """;
        var hOrder = history.Parameters.Add("$order", SqliteType.Text);
        var hTo = history.Parameters.Add("$to", SqliteType.Text);
        var hAt = history.Parameters.Add("$at", SqliteType.Text);

        var random = new Random(42);
        var now = DateTime.UtcNow;
        var run = string.Concat(Enumerable.Range(0, 2).Select(_ => ReferenceAlphabet[random.Next(ReferenceAlphabet.Length)]));
        for (var i = 0; i < count; i++)
        {
            var id = Guid.CreateVersion7().ToString().ToUpperInvariant();
            var created = now.AddMinutes(-random.Next(0, 120 * 24 * 60));
            var status = Statuses[random.Next(Statuses.Length)];
            p["$id"].Value = id;
            p["$reference"].Value = Reference(run, i);
            p["$name"].Value = i % 1000 == 0 ? "Ada Lovelace" : $"Seeded Client {i}";
            p["$email"].Value = $"seed-{i}@example.com";
            p["$type"].Value = EventTypes[random.Next(EventTypes.Length)];
            p["$date"].Value = DateOnly.FromDateTime(now).AddDays(random.Next(1, 700)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            p["$guests"].Value = random.Next(1, 1500);
            p["$venue"].Value = i % 3 == 0 ? DBNull.Value : "Seeded Venue";
            p["$budget"].Value = (object?)Budgets[random.Next(Budgets.Length)] ?? DBNull.Value;
            p["$notes"].Value = i % 2 == 0 ? DBNull.Value : "Seeded for the back-office benchmark.";
            p["$status"].Value = status;
            p["$created"].Value = created.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            p["$version"].Value = status == "New" ? 0 : 1;
            order.ExecuteNonQuery();

            if (status != "New")
            {
                hOrder.Value = id;
                hTo.Value = status;
                hAt.Value = created.AddHours(random.Next(1, 72)).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
                history.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }
}
