using System.Globalization;
using System.Runtime.InteropServices;

namespace EventBooking.LoadTest;

/// <summary>Finds the stack's service processes through /proc (Linux), reads their memory, pauses and resumes them.</summary>
public static partial class ServiceProcesses
{
    private const int SigCont = 18;
    private const int SigStop = 19;
    private const int SigTerm = 15;

    /// <summary>The one running process of a service (e.g. "EventBooking.ApiService"), not its `dotnet run` wrapper.</summary>
    public static int Find(string service)
    {
        var matches = All().Where(pid => ExecutableName(pid) == service).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException(
                $"Expected one {service} process on this machine, found {matches.Count}: pass --{(service.EndsWith("ApiService", StringComparison.Ordinal) ? "api" : "notifier")}-pid.");
    }

    /// <summary>Resident memory (VmRSS) in kilobytes.</summary>
    public static long ResidentKilobytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Freezes a process (SIGSTOP): it holds its connections and does nothing, like a service stuck in a pause.</summary>
    public static void Pause(int pid) => Send(pid, SigStop);

    public static void Resume(int pid) => Send(pid, SigCont);

    /// <summary>SIGTERM: asks a process to shut down cleanly (.NET has only SIGKILL built in).</summary>
    public static void Terminate(int pid) => Send(pid, SigTerm);

    private static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture));

    /// <summary>The file name of the program a process runs, e.g. "EventBooking.ApiService" or "beam.smp".</summary>
    public static string ExecutableName(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline");
            var end = arguments.IndexOf('\0');
            return Path.GetFileName(end < 0 ? arguments : arguments[..end]);
        }
        catch (IOException)
        {
            return string.Empty; // gone meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}

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
            .Where(part => _start.ContainsKey(part.Key))
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
