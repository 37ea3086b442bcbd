using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace EventBooking.AppHost.Messaging;

/// <summary>
/// Healthy once the broker accepts an AMQP connection. One connection is opened and reused, as
/// Aspire.Hosting.RabbitMQ does: a connection per probe would churn the broker every few seconds.
/// </summary>
internal sealed class RabbitMQConnectionHealthCheck(Func<CancellationToken, ValueTask<string?>> connectionString)
    : IHealthCheck
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not { IsOpen: true })
            {
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                }

                var factory = new ConnectionFactory
                {
                    Uri = new Uri(await connectionString(cancellationToken) ?? throw new InvalidOperationException("No connection string yet.")),
                    RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
                    AutomaticRecoveryEnabled = false,
                };
                _connection = await factory.CreateConnectionAsync("apphost-health", cancellationToken);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("RabbitMQ does not accept connections yet.", ex);
        }
        finally
        {
            _gate.Release();
        }
    }
}
