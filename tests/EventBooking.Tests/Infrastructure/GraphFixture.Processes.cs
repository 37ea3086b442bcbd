using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.Infrastructure;

/// <summary>The graph's processes, replicas included: kill, stop and start them again, and find the live ones.</summary>
public partial class GraphFixture
{
    /// <summary>
    /// The graph's services start from their build, not through `dotnet run` (ServiceLauncher/dotnet says why): its
    /// folder goes first on this process's PATH, which the orchestrator, and so every resource, inherits.
    /// </summary>
    private static void StartServicesFromTheBuild()
    {
        var launcher = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../Infrastructure/ServiceLauncher"));
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        if (!path.StartsWith(launcher + Path.PathSeparator, StringComparison.Ordinal))
        {
            // The muxer of the runtime running the tests: shared/Microsoft.NETCore.App/<version>/ is three folders below it.
            var dotnet = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "../../../dotnet"));
            Environment.SetEnvironmentVariable("EVENTBOOKING_DOTNET", dotnet);
            Environment.SetEnvironmentVariable("PATH", launcher + Path.PathSeparator + path);
        }
    }

    /// <summary>kill -9 of every service process of a resource: a crash, with no chance to clean up.</summary>
    public async Task KillAsync(string resource)
    {
        foreach (var instance in Instances[resource])
        {
            var (wrapper, process) = ServiceProcess(instance);
            Processes.Kill(process);
            await Eventually.HoldsAsync(() => !Processes.IsAlive(process) && !Processes.IsAlive(wrapper), TimeSpan.FromSeconds(15), $"{instance} died");
        }
    }

    /// <summary>
    /// A clean stop through the orchestrator, returning once the resource has really ended (a broker under load
    /// takes a while to close), so that what a test measures next starts from the outage itself.
    /// </summary>
    public async Task<TimeSpan> StopAsync(string resource, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        Assert.True((await commands.ExecuteCommandAsync(resource, "resource-stop", cancellationToken)).Success, $"{resource} stops");
        await App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>The running replicas of <paramref name="resource"/>: each instance's name and its live service process.</summary>
    public Task<List<(string Instance, int Pid)>> ReplicasAsync(string resource) =>
        Task.FromResult<List<(string, int)>>([.. Instances[resource]
            .Select(instance => (Instance: instance, Pid: LiveServiceProcess(instance)))
            .Where(r => r.Pid != 0)]);

    private int LiveServiceProcess(string instance) =>
        App.ResourceNotifications.TryGetCurrentState(instance, out var state)
        && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } wrapper
            ? Processes.WithDescendants([Convert.ToInt32(wrapper, CultureInfo.InvariantCulture)]).FirstOrDefault(pid => Processes.IsAlive(pid)
                && Processes.CommandLine(pid) is var command
                && command.Contains("/bin/", StringComparison.Ordinal) && !command.StartsWith("dotnet", StringComparison.Ordinal))
            : 0;

    /// <summary>The process the orchestrator started for a service (instance), and the service process: the same one, unless a `dotnet run` wrapper started it.</summary>
    public (int Wrapper, int Process) ServiceProcess(string resource)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"no state for {resource}");
        var wrapper = Convert.ToInt32(state.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value);
        var process = Processes.WithDescendants([wrapper])
            .Single(pid => Processes.CommandLine(pid) is var command
                && command.Contains("/bin/", StringComparison.Ordinal) && !command.StartsWith("dotnet", StringComparison.Ordinal));
        return (wrapper, process);
    }

    /// <summary>What a resource's /health says (status and the whole report), or why it could not be asked; a single-instance service is asked on its own address.</summary>
    public async Task<(string Status, string Body)> HealthAsync(string resource)
    {
        try
        {
            using var client = OwnAddress(resource) is { } own ? new HttpClient { BaseAddress = own } : App.CreateHttpClient(resource);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await client.GetAsync("/health", timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return (JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()!, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            return ("Unreachable", $"{ex.Message} {await WhereaboutsAsync(resource)}");
        }
    }

    /// <summary>
    /// Where a resource that does not answer is: each instance's state in the orchestrator, whether its service
    /// process lives and with how many threads, what its own address answers (not through the orchestrator's proxy),
    /// and its last log lines: this tells a stuck process (threads piling up, its own address silent) from a proxy
    /// that lost its way (GraphFixture.Restarts says when that was seen).
    /// </summary>
    private async Task<string> WhereaboutsAsync(string resource)
    {
        var instances = new List<string>();
        foreach (var instance in Instances.TryGetValue(resource, out var named) ? named : [resource])
        {
            var known = App.ResourceNotifications.TryGetCurrentState(instance, out var state);
            var pid = LiveServiceProcess(instance);
            instances.Add($"{instance}: {(known ? state!.Snapshot.State?.Text : "no state")}, "
                + (pid == 0 ? "service process not running" : $"service process {pid} alive with {Processes.Threads(pid)} threads")
                + (known ? $", its own address: {await AskDirectlyAsync(state!)}" : string.Empty));
        }

        return string.Join(" | ", instances) + $"; its last log lines:{Environment.NewLine}{Tail(resource, 15)}";
    }

    private static async Task<string> AskDirectlyAsync(ResourceEvent state)
    {
        if (OwnAddress(state) is not { } url)
        {
            return "none known";
        }

        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await client.GetAsync(new Uri(url, "/health"));
            return $"{url} answered /health with {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return $"{url} did not answer /health ({ex.GetType().Name})";
        }
    }

    /// <summary>The address a service instance itself listens on (not the orchestrator's proxy in front of it), if it says.</summary>
    private static Uri? OwnAddress(ResourceEvent state) =>
        state.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value?.Split(';')
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal)) is { } url ? new Uri(url) : null;
}
