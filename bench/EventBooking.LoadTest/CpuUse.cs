using System.Globalization;

namespace EventBooking.LoadTest;

/// <summary>
/// CPU time each part of the stack used while a scenario ran, from /proc (utime + stime): on a 2-core machine the
/// first place to look for the bottleneck is who burns the cores.
/// </summary>
public sealed class CpuUse
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux the stack runs on
    private static readonly (string Name, string[] Executables)[] Parts =
    [
        ("frontend", ["EventBooking.Frontend"]),
        ("api", ["EventBooking.ApiService"]),
        ("notifier", ["EventBooking.Notifier"]),
        ("broker", ["beam.smp"]),
        ("database (PostgreSQL)", ["postgres"]),
        ("orchestrator (DCP, its proxies)", ["dcp", "dcpctrl", "dcpproxy"]),
        ("dashboard (telemetry)", ["Aspire.Dashboard"]),
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

    /// <summary>Per part, the share of one core it used on average (100% = one core busy all the time).</summary>
    public IReadOnlyList<Figure> Stop()
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var end = Sample();
        var figures = end
            .Where(part => _start.ContainsKey(part.Key) && part.Value > 0) // e.g. no database process in the default shape
            .Select(part => new Figure($"CPU {part.Key}", 100 * (part.Value - _start[part.Key]) / TicksPerSecond / seconds, "% of a core"))
            .ToList();
        figures.Add(new Figure("CPU load-test client", 100 * (Ticks(Environment.ProcessId) - _selfStart) / TicksPerSecond / seconds, "% of a core"));
        return figures;
    }

    private static Dictionary<string, long> Sample()
    {
        var pids = ServiceProcesses.All().Select(pid => (pid, ServiceProcesses.ExecutableName(pid))).ToList();
        return Parts.ToDictionary(
            part => part.Name,
            part => pids.Where(p => part.Executables.Contains(p.Item2)).Sum(p => Ticks(p.pid)));
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
