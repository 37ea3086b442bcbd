namespace EventBooking.LoadTest;

public sealed record LoadTestOptions(string Scenario, Uri Url, int Count, int Concurrency)
{
    /// <summary>The API's SQLite file, for scenarios that seed data directly (admin-queries).</summary>
    public string? Database { get; init; }

    public string ManagerEmail { get; init; } = "manager@eventbooking.local";

    public string? ManagerPassword { get; init; }

    public static LoadTestOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("Name a scenario first, e.g.: orders --url http://localhost:8080 --count 1000 --concurrency 1");
        }

        string? Value(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        return new LoadTestOptions(
            args[0],
            new Uri(Value("--url") ?? "http://localhost:8080"),
            int.Parse(Value("--count") ?? "1000"),
            int.Parse(Value("--concurrency") ?? "1"))
        {
            Database = Value("--database"),
            ManagerEmail = Value("--manager-email") ?? "manager@eventbooking.local",
            // Not a command-line argument: it would show in the process list and the shell history.
            ManagerPassword = Environment.GetEnvironmentVariable("EVENTBOOKING_MANAGER_PASSWORD"),
        };
    }
}
