using System.Globalization;

namespace EventBooking.LoadTest;

public sealed record LoadTestOptions(string Scenario)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/EventBooking.LoadTest -- <scenario> [options]
          scenarios: standard (baseline, sockets, orders, promo-burst), baseline, orders, promo-burst, sockets, admin-queries
          --url URL            benchmark a running site; without it a fresh stack is started with ./run.sh (Release)
          --count N            requests (sign-ups, orders) per scenario; default: promo-burst 10000, orders 5000
          --concurrency C      concurrent clients; default: promo-burst 500, orders 100, sockets 100
          --sockets K          sockets held open by the sockets scenario; default 5000
          --api-pid P, --notifier-pid P   the service processes, when more than one stack runs on this machine
          --out DIR            where latest.md / latest.json go; default bench/results
          admin-queries: --database <api sqlite file> seeds --count orders; EVENTBOOKING_MANAGER_PASSWORD signs in
        """;

    public Uri? Url { get; init; }

    public int? Count { get; init; }

    public int? Concurrency { get; init; }

    public int Sockets { get; init; } = 5_000;

    public int? ApiPid { get; init; }

    public int? NotifierPid { get; init; }

    public string Out { get; init; } = Path.Combine("bench", "results");

    /// <summary>The API's SQLite file, for scenarios that seed data directly (admin-queries).</summary>
    public string? Database { get; init; }

    public string ManagerEmail { get; init; } = "manager@eventbooking.local";

    public string? ManagerPassword { get; init; }

    public static LoadTestOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("Name a scenario first.");
        }

        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        int? Number(string name) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

        return new LoadTestOptions(args[0])
        {
            Url = Value("--url") is { } url ? new Uri(url) : null,
            Count = Number("--count"),
            Concurrency = Number("--concurrency"),
            Sockets = Number("--sockets") ?? 5_000,
            ApiPid = Number("--api-pid"),
            NotifierPid = Number("--notifier-pid"),
            Out = Value("--out") ?? Path.Combine("bench", "results"),
            Database = Value("--database"),
            ManagerEmail = Value("--manager-email") ?? "manager@eventbooking.local",
            // Not a command-line argument: it would show in the process list and the shell history.
            ManagerPassword = Environment.GetEnvironmentVariable("EVENTBOOKING_MANAGER_PASSWORD"),
        };
    }
}
