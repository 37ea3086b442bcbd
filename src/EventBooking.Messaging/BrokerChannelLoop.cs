using System.Threading.Channels;
using EventBooking.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventBooking.Messaging;

/// <summary>A delivery copied out of the consumer callback (the client reuses the body's memory afterwards).</summary>
public sealed record BrokerDelivery(ulong Tag, IReadOnlyBasicProperties Properties, byte[] Body);

/// <summary>
/// A supervised loop that works over one broker channel per run: it opens the channel (the connection is resolved
/// here, so while the broker is down the run fails and is started again with growing pauses), declares what it
/// needs, does its work (consume, publish, both), and ends the run when the broker or a lost connection closes the
/// channel (e.g. the broker's consumer timeout), so that the next run starts on a new one instead of stalling.
/// Deliveries belong to their channel: what a run did not acknowledge, the broker sends again to the next.
/// </summary>
public abstract class BrokerChannelLoop(IServiceProvider services, LoopHealth health, ILogger logger) : SupervisedLoop(health, logger)
{
    /// <summary>How the channel is opened (e.g. with publisher confirms).</summary>
    protected virtual CreateChannelOptions? ChannelOptions => null;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var connection = services.GetRequiredService<IConnection>();
        await using var channel = await connection.CreateChannelAsync(ChannelOptions, stoppingToken);
        var closed = channel.ClosedByBroker();
        await DeclareAsync(connection, channel, stoppingToken);

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var working = WorkAsync(connection, channel, run.Token);
        if (await Task.WhenAny(working, closed) == closed)
        {
            // The work ends with its channel, before the next run starts: two runs never work side by side.
            await run.CancelAsync();
            try
            {
                await working;
            }
            catch (Exception ended) when (run.IsCancellationRequested)
            {
                Logger.LogDebug(ended, "The {Loop} loop's work ended with its channel.", Name);
            }

            await closed; // throws: why the channel closed
        }

        await working;
    }

    /// <summary>Declares what the loop uses: the promo topology unless it says otherwise.</summary>
    protected virtual Task DeclareAsync(IConnection connection, IChannel channel, CancellationToken cancellationToken) =>
        PromoTopology.DeclareAsync(connection, channel, cancellationToken);

    /// <summary>The loop's work on <paramref name="channel"/>, until it fails or stops; it calls <c>Running()</c> once working.</summary>
    protected abstract Task WorkAsync(IConnection connection, IChannel channel, CancellationToken stoppingToken);

    /// <summary>
    /// Consumes <paramref name="queue"/> with manual acknowledgements into an inbox read in delivery order, by one
    /// reader: the work acknowledges what it has made durable.
    /// </summary>
    protected static async Task<ChannelReader<BrokerDelivery>> ConsumeAsync(IChannel channel, string queue, CancellationToken stoppingToken)
    {
        var inbox = Channel.CreateUnbounded<BrokerDelivery>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
            inbox.Writer.WriteAsync(new BrokerDelivery(delivery.DeliveryTag, delivery.BasicProperties, delivery.Body.ToArray()), stoppingToken).AsTask();
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
        return inbox.Reader;
    }
}
