using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace EventBooking.ServiceDefaults;

/// <summary>
/// A background loop that survives its own failures: when <see cref="RunAsync"/> throws, it is started again after a
/// growing pause (Polly), for as long as the service runs, and /health reports it as down, with the reason, until
/// it says it is <see cref="Running"/> again. One loop failing never stops the host (which is what an unhandled
/// BackgroundService exception does by default).
/// </summary>
public abstract class SupervisedLoop(LoopHealth health, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);

    private TimeSpan LongestPause => health.Options.LongestPause;

    /// <summary>Short, for logs and /health: "outbox relay", "promo consumer".</summary>
    protected abstract string Name { get; }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled; throws when it cannot go on.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    /// <summary>How /health rates this loop while it is down for <paramref name="failure"/>.</summary>
    protected virtual HealthStatus StatusWhileDown(Exception failure) => HealthStatus.Unhealthy;

    protected LoopHealth Health => health;

    protected ILogger Logger => logger;

    /// <summary>Called by <see cref="RunAsync"/> once it is set up and working (connected, consuming...).</summary>
    protected void Running() => health.Report(Name, HealthStatus.Healthy);

    /// <summary>
    /// Retries, in place and for as long as it takes, the failures <paramref name="isTransient"/> accepts (the loop
    /// holds its place, e.g. strict order); /health says what it waits for meanwhile. Others end the run.
    /// </summary>
    protected ResiliencePipeline RetryInPlace(Func<Exception, bool> isTransient) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(failure => failure is not OperationCanceledException && isTransient(failure)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = LongestPause,
                OnRetry = retry =>
                {
                    var failure = retry.Outcome.Exception!;
                    health.Report(Name, HealthStatus.Degraded, $"waiting, attempt {retry.AttemptNumber + 1} failed: {failure.Message}");
                    logger.LogWarning(failure, "The {Loop} loop waits: attempt {Attempt} failed; trying again in {Pause}.",
                        Name, retry.AttemptNumber + 1, retry.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: a first run that blocks (e.g. connecting to a broker that is down) must not keep the
        // host, and so /health and /alive, from starting.
        await Task.Yield();
        var restarts = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(_ => !stoppingToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstPause,
                MaxDelay = LongestPause,
                OnRetry = retry =>
                {
                    var failure = retry.Outcome.Exception!;
                    health.Report(Name, StatusWhileDown(failure), $"down: {failure.GetType().Name}: {failure.Message}");
                    logger.LogError(failure, "The {Loop} loop failed; starting it again in {Pause}.", Name, retry.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        try
        {
            health.Report(Name, HealthStatus.Degraded, "starting");
            await restarts.ExecuteAsync(async token => await RunAsync(token), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The service is stopping.
        }
    }
}

/// <summary>How the background loops wait (section "Loops").</summary>
public sealed class LoopOptions
{
    public const string Section = "Loops";

    /// <summary>The longest pause between two retries of a loop, or of a request it holds in place.</summary>
    public TimeSpan LongestPause { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>The state of every <see cref="SupervisedLoop"/> in this process, as one /health entry, and how they wait.</summary>
public sealed class LoopHealth(IOptions<LoopOptions> options) : IHealthCheck
{
    public LoopOptions Options => options.Value;

    private readonly Dictionary<string, (HealthStatus Status, string? Reason)> _loops = [];
    private readonly Lock _gate = new();

    /// <summary>What a loop says of itself: down (with the reason), waiting on something, or running.</summary>
    public void Report(string loop, HealthStatus status, string? reason = null)
    {
        lock (_gate)
        {
            _loops[loop] = (status, reason);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var worst = _loops.Count == 0 ? HealthStatus.Healthy : _loops.Values.Min(l => l.Status);
            var data = _loops.ToDictionary(l => l.Key, l => (object)(l.Value.Reason ?? l.Value.Status.ToString()));
            var problems = string.Join("; ", _loops.Where(l => l.Value.Status != HealthStatus.Healthy).Select(l => $"{l.Key} {l.Value.Reason}"));
            var description = problems.Length > 0 ? problems : $"running: {string.Join(", ", _loops.Keys.Order())}";
            return Task.FromResult(new HealthCheckResult(worst, description, data: data));
        }
    }
}
