using System.Collections.Concurrent;
using System.Threading.Channels;
using EventBooking.ApiService.Admin;

namespace EventBooking.ApiService.Realtime;

/// <summary>An event for open back-office pages: a new order, or a promo decision.</summary>
public sealed record AdminEvent(string Type, object Data, DateTime At);

/// <summary>
/// Fans events out to the back-office WebSockets of this process. Each socket has a small queue that drops the
/// oldest events when a reader is slow (the page reloads its table on reconnect anyway).
/// </summary>
public sealed class AdminFeed
{
    private readonly ConcurrentDictionary<Channel<AdminEvent>, byte> _subscribers = new();

    public AdminFeed(OrderEvents orders) => orders.Created += order => Publish("order-created", order.ToSummary());

    public Channel<AdminEvent> Subscribe()
    {
        var channel = Channel.CreateBounded<AdminEvent>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers.TryAdd(channel, 0);
        return channel;
    }

    public void Unsubscribe(Channel<AdminEvent> channel)
    {
        _subscribers.TryRemove(channel, out _);
        channel.Writer.TryComplete();
    }

    public void Publish(string type, object data)
    {
        var item = new AdminEvent(type, data, DateTime.UtcNow);
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Writer.TryWrite(item);
        }
    }
}
