using System.Globalization;

namespace EventBooking.Tests.Infrastructure;

/// <summary>Just enough of /proc to find a process tree and see whether it is gone (Linux only, like CI).</summary>
public static class Processes
{
    public static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture));

    public static IEnumerable<int> Where(Func<int, bool> predicate) => All().Where(predicate);

    public static string CommandLine(int pid) => Read($"/proc/{pid}/cmdline").Replace('\0', ' ');

    public static bool IsAlive(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        // A zombie ("Z") has exited; only its parent has not collected it yet.
        return stat.Length > 0 && StateOf(stat) != 'Z';
    }

    /// <summary>How many threads a process has (its /proc status), or 0 once it is gone.</summary>
    public static int Threads(int pid) =>
        Read($"/proc/{pid}/status").Split('\n').FirstOrDefault(l => l.StartsWith("Threads:", StringComparison.Ordinal)) is { } line
            ? int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture)
            : 0;

    /// <summary>kill -9: no chance to clean up, as in a crash.</summary>
    public static void Kill(int pid) => System.Diagnostics.Process.GetProcessById(pid).Kill();

    public static HashSet<int> WithDescendants(IEnumerable<int> roots)
    {
        var parents = All().ToDictionary(pid => pid, ParentOf);
        var tree = new HashSet<int>(roots);
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (tree.Contains(parent) && tree.Add(pid))
                {
                    grew = true;
                }
            }
        }
        while (grew);

        return tree;
    }

    private static int ParentOf(int pid)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat.Length == 0)
        {
            return -1;
        }

        // Fields after the ")" that closes the command name: state, ppid, ...
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    private static char StateOf(string stat) => stat[stat.LastIndexOf(')') + 2];

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process exited between listing and reading: treat as gone.
            return string.Empty;
        }
    }
}
