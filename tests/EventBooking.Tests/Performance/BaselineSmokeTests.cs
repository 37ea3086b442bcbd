using EventBooking.LoadTest;

namespace EventBooking.Tests.Performance;

/// <summary>
/// The load test's baselines (bare Kestrel, and a raw SQLite insert per request) run inside the tool itself: they
/// need no graph, so they hold none.
/// </summary>
[Trait("Category", "LoadTestSmoke")]
public sealed class BaselineSmokeTests
{
    public BaselineSmokeTests() => Progress.Enabled = false;

    [Fact]
    public async Task The_baseline_scenario_answers_every_request_of_both_bare_endpoints()
    {
        var results = await BaselineScenario.RunAsync(count: 60, concurrency: 6);

        Assert.Equal([Report.NoIoBaseline, Report.SqliteRowBaseline], results.Select(r => r.Scenario));
        Assert.All(results, result =>
        {
            Assert.Equal(60, result.Count);
            Assert.Equal(0, result.Errors);
        });
    }
}
