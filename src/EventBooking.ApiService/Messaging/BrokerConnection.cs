using RabbitMQ.Client;

namespace EventBooking.ApiService.Messaging;

/// <summary>
/// The shared RabbitMQ connection (registered by AddRabbitMQClient), obtained without blocking start-up:
/// while the broker is down, resolving it throws, and the background services simply try again.
/// </summary>
public sealed class BrokerConnection(IServiceProvider services, ILogger<BrokerConnection> logger)
{
    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                return services.GetRequiredService<IConnection>();
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or AggregateException or TimeoutException)
            {
                logger.LogWarning("RabbitMQ is not reachable yet ({Reason}); retrying in {Delay}.", ex.Message, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }
}
