using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EventBooking.ApiService.Admin;
using EventBooking.ApiService.Messaging;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventBooking.ApiService.Realtime;

/// <summary>
/// Carries the back office's feed between API replicas: an order stored here is announced on the fan-out
/// <see cref="Exchange"/> for the others, and what the others announce reaches the managers connected here. This
/// replica's own managers hear of its orders at once, without the broker (<see cref="AdminFeed"/>). A live feed
/// only: what is missed while the broker is away, the back office's list still shows.
/// </summary>
internal sealed class AdminFeedRelay : BrokerLoop
{
    public const string Exchange = "eventbooking.admin-feed";
    public const string OriginHeader = "eventbooking-origin";

    private readonly AdminFeed _feed;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger _logger;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly Channel<AdminEvent> _outgoing = Channel.CreateBounded<AdminEvent>(
        new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public AdminFeedRelay(
        IServiceProvider services, AdminFeed feed, OrderEvents orders, IOptions<JsonOptions> json, LoopHealth health, ILogger<AdminFeedRelay> logger)
        : base(services, health, logger)
    {
        _feed = feed;
        // The wire form of the feed's sockets, so a relayed event reads exactly like a local one.
        _json = json.Value.SerializerOptions;
        _logger = logger;
        orders.Created += order => _outgoing.Writer.TryWrite(new AdminEvent("order-created", order.ToSummary(), DateTime.UtcNow));
    }

    protected override string Name => "admin feed relay";

    protected override Task DeclareAsync(IConnection connection, IChannel channel, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, cancellationToken: cancellationToken);

    protected override async Task WorkAsync(IConnection connection, IChannel channel, CancellationToken stoppingToken)
    {
        // A queue of this process's own: it lives and dies with the channel (and is declared again by the next run).
        var inbox = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: stoppingToken);
        await channel.QueueBindAsync(inbox.QueueName, Exchange, string.Empty, cancellationToken: stoppingToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            Receive(delivery);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(inbox.QueueName, autoAck: true, consumer, stoppingToken);
        Running();

        await SendAsync(channel, stoppingToken);
    }

    private async Task SendAsync(IChannel channel, CancellationToken stoppingToken)
    {
        await foreach (var item in _outgoing.Reader.ReadAllAsync(stoppingToken))
        {
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                Type = item.Type,
                Headers = new Dictionary<string, object?> { [OriginHeader] = _origin },
            };
            await channel.BasicPublishAsync(Exchange, string.Empty, mandatory: false, properties,
                JsonSerializer.SerializeToUtf8Bytes(item.Data, _json), stoppingToken);
        }
    }

    private void Receive(BasicDeliverEventArgs delivery)
    {
        var origin = delivery.BasicProperties.Headers is { } headers && headers.TryGetValue(OriginHeader, out var value) && value is byte[] bytes
            ? Encoding.UTF8.GetString(bytes)
            : null;
        if (origin == _origin || delivery.BasicProperties.Type is not { Length: > 0 } type)
        {
            return; // Our own (already told here), or not a feed event.
        }

        try
        {
            _feed.Publish(type, JsonSerializer.Deserialize<JsonElement>(delivery.Body.Span));
        }
        catch (JsonException unreadable)
        {
            _logger.LogWarning(unreadable, "An admin feed event of type {Type} could not be read; skipped.", type);
        }
    }
}
