using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;

namespace EventBooking.Messaging;

/// <summary>
/// Carries W3C trace context through AMQP headers (and through the API's outbox), so one promo sign-up is one
/// trace across the API, the broker and the notifier.
/// </summary>
public static class TraceContext
{
    public const string Header = "traceparent";

    public static void Inject(BasicProperties properties, string? traceParent)
    {
        if (traceParent is not null)
        {
            properties.Headers ??= new Dictionary<string, object?>();
            properties.Headers[Header] = traceParent;
        }
    }

    public static ActivityContext Extract(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue(Header, out var value) == true
            ? Parse(value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => null,
            })
            : default;

    public static ActivityContext Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
}
