using System.Diagnostics;

namespace EventBooking.LoadTest;

/// <summary>
/// A fresh stack for one benchmark run: ./run.sh (the app host with its dashboard, as a developer starts it) built
/// in Release, on temporary data, with the promotion as shipped (unless <see cref="GatesOff"/>), instant promo steps,
/// the per-client limits lifted (every request comes from this one machine) and no orchestrator proxies in front of the site and the API (production has none either). Stopped with SIGTERM, which run.sh turns into a clean shutdown of everything.
/// </summary>
public sealed class LocalStack : IAsyncDisposable
{
    public static readonly Uri Site = new("http://localhost:8080");
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] AppHostArguments =
    [
        "--EventBooking:UseTemporaryData=true",
        // The services as deployed: Development adds scope checks to every resolution and serves files uncached.
        "--EventBooking:ServiceEnvironment=Production",
        "--EventBooking:DirectEndpoints=true",
        "--Promo:StepDelay=00:00:00",
        "--RateLimits:Orders:PermitLimit=1000000",
        "--RateLimits:PromoSignUps:PermitLimit=1000000",
        "--RateLimits:SignIn:PermitLimit=1000000",
        "--RateLimits:Lookups:PermitLimit=1000000",
        "--WebSockets:MaxPerClient=100000",
        "--Site:MaxConnectionsPerClient=0",
        // The site's cost of a proof of work does not depend on its size (it issues one challenge and checks one hash);
        // the client's does, a hundred times less than as shipped (100,000): solving is client CPU, reported apart.
        "--Promo:ProofOfWork:MaxNumber=1000",
    ];

    /// <summary>
    /// <c>--gates off</c>: sign-ups straight into the queue, without the fair promotion's domain cap, confirmed
    /// mailboxes and proof of work, as the benchmarks before them measured (docs/performance-history.md).
    /// </summary>
    public static readonly string[] GatesOff = ["--Promo:MaxPerDomain=0", "--Promo:ConfirmEmail=false", "--Promo:ProofOfWork:Enabled=false"];

    private readonly Process _runScript;
    private readonly StreamWriter _log;

    private LocalStack(Process runScript, StreamWriter log)
    {
        _runScript = runScript;
        _log = log;
    }

    /// <summary>What the scale-out shape adds: the same stack a production grows into, on this one machine.</summary>
    private static readonly string[] ScaleOutArguments =
        ["--EventBooking:Database=postgres", "--EventBooking:ApiReplicas=2", "--EventBooking:NotifierReplicas=2"];

    public static async Task<LocalStack> StartAsync(HttpClient probe, string shape, IEnumerable<string> settings)
    {
        if (await AnswersAsync(probe))
        {
            throw new InvalidOperationException($"Something already answers on {Site}: stop it, or benchmark it with --url {Site}.");
        }

        var root = RepositoryRoot();
        var log = Path.Combine(root, ".bench-stack.log");
        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("run.sh");
        foreach (var argument in AppHostArguments.Concat(shape == "scale-out" ? ScaleOutArguments : []).Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CONFIGURATION"] = "Release";
        Console.Error.WriteLine($"==> starting the stack ({shape} shape, Release, fresh data); its output goes to {log}");
        var process = Process.Start(start)!;
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { lock (writer) { writer.WriteLine(line.Data); } } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { lock (writer) { writer.WriteLine(line.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var stack = new LocalStack(process, writer);

        var clock = Stopwatch.StartNew();
        try
        {
            while (!await AnswersAsync(probe))
            {
                if (process.HasExited || clock.Elapsed > StartTimeout)
                {
                    throw new InvalidOperationException($"The stack did not come up within {StartTimeout.TotalMinutes} minutes; see {log}.");
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }

        Console.Error.WriteLine($"==> stack healthy after {clock.Elapsed.TotalSeconds:0} s (dashboard: http://localhost:15080)");
        return stack;
    }

    /// <summary>For a benchmark stopped by a signal: the stack must not outlive it.</summary>
    public void Stop()
    {
        if (!_runScript.HasExited)
        {
            ServiceProcesses.Terminate(_runScript.Id);
            _runScript.WaitForExit(TimeSpan.FromMinutes(1));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_runScript.HasExited)
        {
            ServiceProcesses.Terminate(_runScript.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _runScript.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("The stack did not stop within a minute; killing it.");
                _runScript.Kill(entireProcessTree: true);
            }
        }

        _runScript.Dispose();
        await _log.DisposeAsync();
    }

    private static async Task<bool> AnswersAsync(HttpClient probe)
    {
        // While the frontend starts, the orchestrator's proxy already holds its port and may keep a request waiting.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await probe.GetAsync(new Uri(Site, "/health"), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EventBooking.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the load test from the repository (it starts ./run.sh), or pass --url.");
    }
}
