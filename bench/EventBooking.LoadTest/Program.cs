using EventBooking.LoadTest;

// Usage: dotnet run -c Release --project bench/EventBooking.LoadTest -- <orders|promo-burst> --url http://localhost:8080 [--count 1000] [--concurrency 1]
var options = LoadTestOptions.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
{
    BaseAddress = options.Url,
    Timeout = TimeSpan.FromSeconds(30),
};

var result = options.Scenario switch
{
    "orders" => await OrdersScenario.RunAsync(http, options),
    "promo-burst" => await PromoBurstScenario.RunAsync(http, options),
    _ => throw new ArgumentException($"Unknown scenario '{options.Scenario}'. Known: orders, promo-burst."),
};

Console.WriteLine(result.ToTable());
return result.Errors == 0 ? 0 : 1;
