using System.Text.Json;
using EventBooking.LoadTest;

namespace EventBooking.Tests.Performance;

public sealed class ReportTests
{
    private static ScenarioResult Result(string scenario, int concurrency, int count, double seconds) =>
        new(scenario, count, concurrency, Enumerable.Range(1, count).Select(i => (double)i).ToArray(), 0, TimeSpan.FromSeconds(seconds));

    private static readonly ScenarioResult[] Run =
    [
        Result(Report.NoIoBaseline, 500, 1000, 1),        // 1,000/s
        Result(Report.SqliteRowBaseline, 500, 1000, 2),   // 500/s
        Result(Report.NoIoBaseline, 100, 1000, 0.5),      // 2,000/s
        Result(Report.SqliteRowBaseline, 100, 1000, 4),   // 250/s
        Result("promo-burst", 500, 1000, 4),              // 250/s
        Result("orders", 100, 1000, 5),                   // 200/s
    ];

    [Fact]
    public void The_cost_per_operation_counts_the_products_processes_apart_from_the_development_tools()
    {
        (string, double)[] used =
        [
            ("api", 2.0), ("notifier", 1.0), ("frontend", 0.5), ("broker", 0.5),
            ("mail server (smtp4dev)", 3.0), ("orchestrator (DCP, its proxies)", 1.5), ("dashboard (telemetry)", 1.0),
            ("load-test client", 4.0),
        ];

        var cost = CpuUse.Costs(used, operations: 1000).ToDictionary(f => f.Name[CpuUse.CostPrefix.Length..], f => f.Value);

        Assert.Equal(4.0, cost[CpuUse.ProductTotal], 6);    // 4 CPU s over 1,000 operations
        Assert.Equal(5.5, cost[CpuUse.ToolsTotal], 6);
        Assert.Equal(9.5, cost["stack (all but the client)"], 6);
        Assert.Equal(4.0, cost["load-test client"], 6);     // in neither
    }

    [Fact]
    public void Product_throughput_is_a_ratio_to_the_baselines_taken_at_the_same_concurrency()
    {
        var report = new Report(Run, "test machine", "test");

        Assert.Equal(0.5, report.Ratio(Run[4], Report.SqliteRowBaseline));
        Assert.Equal(0.25, report.Ratio(Run[4], Report.NoIoBaseline));
        Assert.Equal(0.8, report.Ratio(Run[5], Report.SqliteRowBaseline));
        Assert.Equal(0.1, report.Ratio(Run[5], Report.NoIoBaseline));
        Assert.Null(report.Ratio(Run[0], Report.SqliteRowBaseline));
    }

    [Fact]
    public void The_markdown_table_and_the_json_carry_the_same_figures()
    {
        var report = new Report(Run, "test machine", "test");

        var row = report.ToMarkdown().Split('\n').Single(line => line.StartsWith("| orders |", StringComparison.Ordinal));
        Assert.Contains("| 200.0 | 0.80× | 0.10× |", row);

        using var json = JsonDocument.Parse(report.ToJson());
        var orders = json.RootElement.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("scenario").GetString() == "orders");
        Assert.Equal(200.0, orders.GetProperty("perSecond").GetDouble());
        Assert.Equal(0.8, orders.GetProperty("ratioToSqliteRow").GetDouble());
        Assert.Equal(1000.0, orders.GetProperty("milliseconds").GetProperty("max").GetDouble());
    }

    [Fact]
    public void The_cpu_cost_per_operation_is_one_table_row_per_scenario_and_the_same_figures_in_the_json()
    {
        var orders = Run[5] with
        {
            Figures =
            [
                new Figure("CPU api", 40, "% of a core"),
                new Figure(CpuUse.CostPrefix + "api", 0.4, CpuUse.CostUnit),
                new Figure(CpuUse.CostPrefix + "stack (all but the client)", 0.75, CpuUse.CostUnit),
            ],
        };
        var report = new Report([.. Run[..5], orders], "test machine", "test");

        var markdown = report.ToMarkdown();
        Assert.Contains("| scenario | api | stack (all but the client) |", markdown);
        Assert.Contains("| orders | 0.400 | 0.750 |", markdown);
        Assert.Contains("- CPU api: 40 % of a core", markdown);
        using var json = JsonDocument.Parse(report.ToJson());
        var cost = json.RootElement.GetProperty("scenarios").EnumerateArray()
            .Single(s => s.GetProperty("scenario").GetString() == "orders").GetProperty("cpuMsPerOperation");
        Assert.Equal(0.4, cost.GetProperty("api").GetDouble());
        Assert.Equal(0.75, cost.GetProperty("stack (all but the client)").GetDouble());
    }
}
