namespace EventBooking.LoadTest;

/// <summary>Which scenarios a name runs, with which sizes; the standard set is what ./bench.sh and the README use.</summary>
public static class Bench
{
    public const int PromoCount = 10_000;
    public const int PromoConcurrency = 500;
    public const int OrdersCount = 5_000;
    public const int OrdersConcurrency = 100;
    public const int SocketsConcurrency = 100;

    public static async Task<IReadOnlyList<ScenarioResult>> RunAsync(LoadTestOptions options, HttpClient http, Inbox inbox)
    {
        var promo = (Count: options.Count ?? PromoCount, Concurrency: options.Concurrency ?? PromoConcurrency);
        var orders = (Count: options.Count ?? OrdersCount, Concurrency: options.Concurrency ?? OrdersConcurrency);
        var results = new List<ScenarioResult>();

        switch (options.Scenario)
        {
            case "standard":
                // Each product figure gets baselines taken at its own concurrency, in this same run.
                results.AddRange(await BaselineScenario.RunAsync(promo.Count, promo.Concurrency));
                if (orders.Concurrency != promo.Concurrency)
                {
                    results.AddRange(await BaselineScenario.RunAsync(orders.Count, orders.Concurrency));
                }

                // Sockets first, on a fresh API process, so its memory figure is not blurred by earlier bursts.
                results.Add(await WithCpuUse(() => RunSocketsAsync(options, http, inbox)));
                results.Add(await RunOrdersAsync(http, new Load(orders.Count, orders.Concurrency)));
                results.Add(await RunPromoBurstAsync(http, new Load(promo.Count, promo.Concurrency), inbox));
                break;
            case "baseline":
                results.AddRange(await BaselineScenario.RunAsync(promo.Count, promo.Concurrency));
                break;
            case "orders" when options.Rate is { } rate:
                results.Add(await RunOrdersAsync(http, Load.Open(rate, options.Duration)));
                break;
            case "orders":
                results.AddRange(await BaselineScenario.RunAsync(orders.Count, orders.Concurrency));
                results.Add(await RunOrdersAsync(http, new Load(orders.Count, orders.Concurrency)));
                break;
            case "promo-burst" when options.Rate is { } rate:
                results.Add(await RunPromoBurstAsync(http, Load.Open(rate, options.Duration), inbox));
                break;
            case "promo-burst":
                results.AddRange(await BaselineScenario.RunAsync(promo.Count, promo.Concurrency));
                results.Add(await RunPromoBurstAsync(http, new Load(promo.Count, promo.Concurrency), inbox));
                break;
            case "sockets":
                results.Add(await WithCpuUse(() => RunSocketsAsync(options, http, inbox)));
                break;
            case "admin-queries":
                results.AddRange(await AdminQueriesScenario.RunAsync(http, options));
                break;
            default:
                throw new ArgumentException($"Unknown scenario '{options.Scenario}'.");
        }

        return results;
    }

    /// <summary>Adds who used the CPU during the scenario (stack processes on this machine) to its figures.</summary>
    private static async Task<ScenarioResult> WithCpuUse(Func<Task<ScenarioResult>> scenario)
    {
        var settled = await CpuUse.SettleAsync(TimeSpan.FromSeconds(60));
        Console.WriteLine($"  waited {settled.TotalSeconds:0} s for the stack to fall idle before the measured run");
        var cpu = CpuUse.Start();
        var result = await scenario();
        return result with { Figures = [.. result.Figures, .. cpu.Stop(result.Count)] };
    }

    /// <summary>
    /// After an unrecorded warm-up as long as the baselines get: the comparison is warm against warm. A fresh
    /// process spends its first thousands of requests compiling (tiered JIT ran at a fifth of the stack's CPU 30 s
    /// into a burst after a 500-request warm-up); a service that has run for a day does not.
    /// </summary>
    private static async Task<ScenarioResult> RunOrdersAsync(HttpClient http, Load load)
    {
        await OrdersScenario.RunAsync(http, Math.Min(load.Count, BaselineScenario.WarmUp), Math.Min(load.Concurrency, OrdersConcurrency));
        return await WithCpuUse(() => OrdersScenario.RunAsync(http, load));
    }

    private static async Task<ScenarioResult> RunPromoBurstAsync(HttpClient http, Load load, Inbox inbox)
    {
        // Its invariants are checked against the codes left when the measured burst starts.
        await PromoBurstScenario.RunAsync(http, Math.Min(load.Count, BaselineScenario.WarmUp), Math.Min(load.Concurrency, PromoConcurrency), inbox);
        return await WithCpuUse(() => PromoBurstScenario.RunAsync(http, load, inbox));
    }

    private static Task<ScenarioResult> RunSocketsAsync(LoadTestOptions options, HttpClient http, Inbox inbox) =>
        SocketsScenario.RunAsync(
            http,
            options.Sockets,
            options.Concurrency ?? SocketsConcurrency,
            options.ApiPid ?? ServiceProcesses.Find("EventBooking.ApiService"),
            options.NotifierPid ?? ServiceProcesses.Find("EventBooking.Notifier"),
            inbox);
}
