using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace EventBooking.Messaging;

/// <summary>What every consumer of the broker needs to know about losing it.</summary>
public static class BrokerChannels
{
    /// <summary>The broker, the connection or the channel is gone: only a new channel (a restarted consumer) helps.</summary>
    public static bool IsBrokerFailure(Exception failure) =>
        failure is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or ConnectFailureException
            or ChannelAllocationException
        || (failure is AggregateException aggregate && aggregate.InnerExceptions.All(IsBrokerFailure));

    /// <summary>
    /// Faults when the broker or a lost connection closes <paramref name="channel"/> (e.g. the broker's consumer
    /// timeout): a consumer awaits it beside its work and starts again on a new channel, instead of stalling silently.
    /// </summary>
    public static Task ClosedByBroker(this IChannel channel)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, reason) =>
        {
            if (reason.Initiator != ShutdownInitiator.Application)
            {
                closed.TrySetException(new OperationInterruptedException(reason));
            }

            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
