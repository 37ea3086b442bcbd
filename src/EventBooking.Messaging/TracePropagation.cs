using System.Diagnostics;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using RabbitMQ.Client;

namespace EventBooking.Messaging;

/// <summary>
/// W3C trace context (and baggage) in AMQP headers, through OpenTelemetry's own propagators, so one promo sign-up
/// is one trace across the API, the broker and the notifier.
/// </summary>
public static class TracePropagation
{
    // Explicit rather than Propagators.DefaultTextMapPropagator, which is a no-op until an SDK has been built.
    private static readonly TextMapPropagator Propagator = new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    public static void Inject(BasicProperties properties, ActivityContext context)
    {
        if (context == default)
        {
            return;
        }

        properties.Headers ??= new Dictionary<string, object?>();
        Propagator.Inject(new PropagationContext(context, Baggage.Current), properties.Headers, static (headers, key, value) => headers[key] = value);
    }

    public static ActivityContext Extract(IReadOnlyBasicProperties properties) =>
        Propagator.Extract(default, properties.Headers, static (headers, key) =>
            headers?.TryGetValue(key, out var value) == true && Text(value) is { } text ? [text] : []).ActivityContext;

    /// <summary>A traceparent kept as text (e.g. in the outbox) back to a context; none when absent or malformed.</summary>
    public static ActivityContext Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };
}
