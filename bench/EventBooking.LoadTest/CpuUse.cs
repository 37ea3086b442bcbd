using System.Globalization;

namespace EventBooking.LoadTest;

/// <summary>
/// CPU time each part of the stack used while a scenario ran, from /proc (utime + stime): as a share of a core (who
/// burns the cores) and as milliseconds per operation (what one request costs, the figure that does not depend on
/// how hard the machine was pushed).
/// </summary>
public sealed class CpuUse
{
    /// <summary>The unit of the cost figures, which the report gathers into its cost table.</summary>
    public const string CostUnit = "CPU ms per operation";
    public const string CostPrefix = "cost ";

    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux the stack runs on
    private const string Client = "load-test client";
    /// <summary>The processes a deployment runs: what the product itself costs.</summary>
    public const string ProductTotal = "product (site, api, notifier, broker, database)";

    /// <summary>Development tools a deployment does not run: the dev inbox, the orchestrator and its proxies, the dashboard.</summary>
    public const string ToolsTotal = "development tools (mail server, orchestrator, dashboard)";

    private static readonly (string Name, string[] Executables, bool Product)[] Parts =
    [
        ("frontend", ["EventBooking.Frontend"], true),
        ("api", ["EventBooking.ApiService"], true),
        ("notifier", ["EventBooking.Notifier"], true),
        ("broker", ["beam.smp"], true),
        ("database (PostgreSQL)", ["postgres"], true),
        ("mail server (smtp4dev)", ["Rnwood.Smtp4dev"], false),
        ("orchestrator (DCP, its proxies)", ["dcp", "dcpctrl", "dcpproxy"], false),
        ("dashboard (telemetry)", ["Aspire.Dashboard"], false),
    ];

    private readonly Dictionary<string, long> _start;
    private readonly long _selfStart;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private CpuUse()
    {
        _start = Sample();
        _selfStart = Ticks(Environment.ProcessId);
    }

    public static CpuUse Start() => new();

    /// <summary>
    /// Per part, the share of one core it used on average (100% = one core busy all the time) and, over
    /// <paramref name="operations"/>, the CPU milliseconds each operation cost it; then the whole stack's cost.
    /// </summary>
    public IReadOnlyList<Figure> Stop(int operations)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var used = Used();
        return [.. used.Select(part => new Figure($"CPU {part.Name}", 100 * part.Seconds / seconds, "% of a core")), .. Costs(used, operations)];
    }

    /// <summary>
    /// The share of one core each part used since the start (e.g. while nothing happens), then the product's processes
    /// together and the whole stack, named "<paramref name="label"/>: …".
    /// </summary>
    public IReadOnlyList<Figure> Shares(string label)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var used = Used();
        Figure Share(string name, IEnumerable<(string Name, double Seconds)> parts) => new($"{label}: {name}", 100 * parts.Sum(p => p.Seconds) / seconds, "% of a core");
        return
        [
            .. used.Select(part => Share(part.Name, [part])),
            Share(ProductTotal, used.Where(p => IsProduct(p.Name))),
            Share("whole stack (dev tools included)", used.Where(p => p.Name != Client)),
        ];
    }

    /// <summary>
    /// Waits until the product's processes are about as idle as a fresh stack (under a tenth of a core over a second,
    /// at most <paramref name="patience"/>): what a warm-up left behind (its mails, its statuses) is not counted as the
    /// measured scenario's cost. Returns how long that took.
    /// </summary>
    public static async Task<TimeSpan> SettleAsync(TimeSpan patience)
    {
        const double Idle = 0.10;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < patience)
        {
            var before = ProductTicks();
            await Task.Delay(TimeSpan.FromSeconds(1));
            if ((ProductTicks() - before) / TicksPerSecond < Idle)
            {
                break;
            }
        }

        return waited.Elapsed;
    }

    private static long ProductTicks() => Sample().Where(part => IsProduct(part.Key)).Sum(part => part.Value);

    private List<(string Name, double Seconds)> Used() =>
        [
            .. Sample()
                .Where(part => part.Value > 0) // e.g. no database process in the default shape
                .Select(part => (Name: part.Key, Seconds: (part.Value - _start[part.Key]) / TicksPerSecond)),
            (Name: Client, Seconds: (Ticks(Environment.ProcessId) - _selfStart) / TicksPerSecond),
        ];

    private static bool IsProduct(string name) => Parts.Any(part => part.Name == name && part.Product);

    /// <summary>
    /// CPU milliseconds per operation: each part's, then the product's processes apart from the development tools
    /// (the figure a deployment pays), then the whole stack's.
    /// </summary>
    public static IReadOnlyList<Figure> Costs(IReadOnlyList<(string Name, double Seconds)> used, int operations)
    {
        var perOperation = operations > 0 ? 1000.0 / operations : double.NaN;
        double Total(bool product) => used.Where(p => Parts.Any(part => part.Name == p.Name) && IsProduct(p.Name) == product).Sum(p => p.Seconds) * perOperation;
        return
        [
            .. used.Select(part => new Figure(CostPrefix + part.Name, part.Seconds * perOperation, CostUnit)),
            new Figure(CostPrefix + ProductTotal, Total(product: true), CostUnit),
            new Figure(CostPrefix + ToolsTotal, Total(product: false), CostUnit),
            new Figure(CostPrefix + "stack (all but the client)", used.Where(p => p.Name != Client).Sum(p => p.Seconds) * perOperation, CostUnit),
        ];
    }

    private static Dictionary<string, long> Sample()
    {
        var pids = ServiceProcesses.All().Select(pid => (pid, ServiceProcesses.ExecutableName(pid))).ToList();
        return Parts.ToDictionary(
            part => part.Name,
            // PostgreSQL's backends rename themselves ("postgres: postgres eventbooking 127.0.0.1(5432) idle").
            part => pids.Where(p => part.Executables.Any(name => p.Item2 == name || p.Item2.StartsWith(name + ":", StringComparison.Ordinal)))
                .Sum(p => Ticks(p.pid)));
    }

    private static long Ticks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // the process ended meanwhile
        }
    }
}
