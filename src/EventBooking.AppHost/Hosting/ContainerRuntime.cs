using System.Diagnostics;

namespace Aspire.Hosting;

/// <summary>How a backing service runs: auto (a container when a runtime answers, else a local process) or forced.</summary>
public enum RunMode
{
    Auto,
    Container,
    Local,
}

public static class ContainerRuntime
{
    private static readonly Lazy<bool> Answering = new(Probe);

    /// <summary>Whether a container runtime answers here (asked once per app host).</summary>
    public static bool Answers => Answering.Value;

    /// <summary>Containers in publish mode, when forced, or when <paramref name="mode"/> is auto and a runtime answers.</summary>
    public static bool Use(IDistributedApplicationBuilder builder, RunMode mode) =>
        builder.ExecutionContext.IsPublishMode || mode == RunMode.Container || (mode == RunMode.Auto && Answers);

    private static bool Probe()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (docker is null)
            {
                return false;
            }

            if (!docker.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                docker.Kill(entireProcessTree: true);
                return false;
            }

            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No docker client on PATH at all.
            return false;
        }
    }
}
