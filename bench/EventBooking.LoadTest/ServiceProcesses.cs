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
