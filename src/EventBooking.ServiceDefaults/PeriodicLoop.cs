using Microsoft.Extensions.Logging;

namespace EventBooking.ServiceDefaults;

/// <summary>
/// A <see cref="SupervisedLoop"/> that makes one pass every <see cref="Interval"/>, on the injected clock so a test
/// can move it; a pass that throws is restarted (and reported) like any supervised loop.
/// </summary>
public abstract class PeriodicLoop(TimeProvider clock, LoopHealth health, ILogger logger) : SupervisedLoop(health, logger)
{
    protected abstract TimeSpan Interval { get; }

    protected TimeProvider Clock => clock;

    /// <summary>One pass: look for work that is due and do it.</summary>
    protected abstract Task PassAsync(CancellationToken cancellationToken);

    protected sealed override async Task RunAsync(CancellationToken stoppingToken)
    {
        Running();
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PassAsync(stoppingToken);
        }
    }
}
