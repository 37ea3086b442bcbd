using EventBooking.LoadTest;

namespace EventBooking.Tests.Performance;

/// <summary>
/// Every load-test scenario, tiny, against the test graph: the tool must measure what it says and its checks must
/// hold. Correctness only: timings are the benchmark's business (./bench.sh), never a test's.
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Category", "LoadTestSmoke")]
public sealed class LoadTestSmokeTests
{
    private readonly GraphFixture _graph;

    public LoadTestSmokeTests(GraphFixture graph)
    {
        _graph = graph;
        Progress.Enabled = false;
    }

    [Fact]
    public async Task The_orders_scenario_stores_every_order_it_sends()
    {
        var before = CountOrders();

        var result = await OrdersScenario.RunAsync(_graph.Frontend, count: 30, concurrency: 5);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(30, result.Count);
        Assert.Equal(before + 30, CountOrders());
    }

    [Fact]
    public async Task The_promo_burst_scenario_follows_every_sign_up_to_its_final_status_and_the_invariants_hold()
    {
        var result = await PromoBurstScenario.RunAsync(_graph.Frontend, count: 40, concurrency: 8);

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(40, result.Count);
        Assert.Contains(result.Figures, f => f.Name == "accepted" && f.Value == 40);
        Assert.Equal(5, result.Checks.Count);
    }

    [Fact]
    public async Task An_open_loop_run_sends_every_scheduled_order_and_sign_up_and_counts_none_missed()
    {
        var before = CountOrders();

        var orders = await OrdersScenario.RunAsync(_graph.Frontend, Load.Open(rate: 20, TimeSpan.FromSeconds(2)));
        var signUps = await PromoBurstScenario.RunAsync(_graph.Frontend, Load.Open(rate: 20, TimeSpan.FromSeconds(2)));

        Assert.True(orders.Succeeded, Describe(orders));
        Assert.Equal(40, orders.Count);
        Assert.Equal(20, orders.OfferedRate);
        Assert.Contains(orders.Figures, f => f.Name.StartsWith("missed", StringComparison.Ordinal) && f.Value == 0);
        Assert.Equal(before + 40, CountOrders());
        Assert.True(signUps.Succeeded, Describe(signUps));
        Assert.Contains(signUps.Figures, f => f.Name == "accepted" && f.Value == 40);
        Assert.Contains(signUps.Figures, f => f.Name.StartsWith("missed", StringComparison.Ordinal) && f.Value == 0);
    }

    [Fact]
    public async Task The_sockets_scenario_holds_every_socket_while_the_notifier_is_frozen_then_sees_each_decided()
    {
        var (_, api) = _graph.ServiceProcess("api");
        var (_, notifier) = _graph.ServiceProcess("notifier");

        var result = await SocketsScenario.RunAsync(_graph.Frontend, sockets: 30, concurrency: 5, api, notifier, idleFor: TimeSpan.FromSeconds(1));

        Assert.True(result.Succeeded, Describe(result));
        Assert.Equal(30, result.SortedMilliseconds.Length);
        Assert.Contains(result.Figures, f => f.Name == "sockets held open at once" && f.Value == 30);
        Assert.True(Processes.IsAlive(notifier), "the notifier runs again");
        Assert.Contains(result.Figures, f => f.Name == $"{SocketsScenario.IdleLabel}: {CpuUse.ProductTotal}" && double.IsFinite(f.Value));
    }

    [Fact]
    public async Task A_page_like_visit_loads_every_file_the_promo_page_names_and_a_return_visit_asks_again_for_all_but_the_immutable()
    {
        var page = await SitePage.DiscoverAsync(_graph.Frontend, "/promo");

        var files = page.Files.Select(f => f.AbsolutePath).ToList();
        Assert.Contains("/css/site.css", files);
        Assert.Contains("/js/api.js", files); // imported by the page's module
        Assert.Contains("/lib/altcha/altcha.min.js", files); // imported by the proof of work's module
        Assert.Contains("/lib/altcha/sha-worker.js", files); // the widget's worker
        Assert.Contains(files, f => f.StartsWith("/js/promo.", StringComparison.Ordinal) && f != "/js/promo.js"); // fingerprinted
        var first = await page.FirstVisitAsync(_graph.Frontend);
        var again = await page.ReturnVisitAsync(_graph.Frontend);
        Assert.Equal(new SitePage.Visited(files.Count + 1, 0), first);
        // The HTML and every file not served as immutable are asked again, with If-None-Match. (This graph's site runs in
        // Development, which serves even fingerprinted files uncached; in Production they are immutable.)
        Assert.Equal(1 + files.Count - page.Immutable, again.Sent + again.NotModified);
    }

    [Fact]
    public async Task The_admin_queries_scenario_seeds_orders_and_every_manager_query_answers()
    {
        var before = CountOrders();
        var options = new LoadTestOptions("admin-queries")
        {
            Count = 200,
            Database = _graph.ApiDatabasePath,
            ManagerEmail = GraphFixture.ManagerEmail,
            ManagerPassword = GraphFixture.ManagerPassword,
        };

        var results = await AdminQueriesScenario.RunAsync(_graph.NewBrowserLikeClient(), options);

        Assert.Equal(before + 200, CountOrders());
        Assert.Equal(7, results.Count);
        Assert.All(results, result => Assert.True(result.Succeeded, Describe(result)));
    }

    private long CountOrders()
    {
        using var db = _graph.OpenApiDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Orders";
        return (long)count.ExecuteScalar()!;
    }

    private static string Describe(ScenarioResult result) =>
        $"{result.Scenario}: {result.Errors} errors; failed checks: {string.Join("; ", result.Checks.Where(c => !c.Ok).Select(c => c.Name))}";
}
