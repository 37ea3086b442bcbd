using EventBooking.LoadTest;

// Usage: dotnet run -c Release --project bench/EventBooking.LoadTest -- <orders|promo-burst|admin-queries|baseline> --url http://localhost:8080 [--count 1000] [--concurrency 1]
//        admin-queries also takes --database <api sqlite file> (seeds --count orders) and EVENTBOOKING_MANAGER_PASSWORD.
var options = LoadTestOptions.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
{
    BaseAddress = options.Url,
    Timeout = TimeSpan.FromSeconds(30),
};

IReadOnlyList<ScenarioResult> results = options.Scenario switch
{
    "orders" => [await OrdersScenario.RunAsync(http, options)],
    "promo-burst" => [await PromoBurstScenario.RunAsync(http, options)],
    "admin-queries" => await AdminQueriesScenario.RunAsync(http, options),
    "baseline" => await BaselineScenario.RunAsync(options),
    _ => throw new ArgumentException($"Unknown scenario '{options.Scenario}'. Known: orders, promo-burst, admin-queries, baseline."),
};

Console.WriteLine(ScenarioResult.ToTable(results));

return results.All(r => r.Errors == 0) ? 0 : 1;
