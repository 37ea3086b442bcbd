using System.Collections.Concurrent;
using System.Text;

namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// Stands in for the dashboard's OTLP endpoint (http/protobuf): keeps every export (logs with their attributes and
/// scopes, spans, metrics) as it arrived. Protobuf keeps strings as UTF-8 bytes, so a secret that was exported
/// anywhere is found by its bytes without decoding the messages.
/// </summary>
public sealed class TelemetrySink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<byte[]> _exports = new();
    private readonly Task _serving;
    private bool _stopping;

    public TelemetrySink()
    {
        Port = Ports.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>What a service needs to export here, quickly (the SDK's batches wait 5 s by default).</summary>
    public IEnumerable<(string Name, string Value)> Environment =>
    [
        ("OTEL_EXPORTER_OTLP_ENDPOINT", $"http://127.0.0.1:{Port}"),
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ("OTEL_BLRP_SCHEDULE_DELAY", "500"),
        ("OTEL_BSP_SCHEDULE_DELAY", "500"),
        ("OTEL_METRIC_EXPORT_INTERVAL", "5000"),
    ];

    public int Exports => _exports.Count;

    /// <summary>Whether any export so far holds <paramref name="text"/>.</summary>
    public bool Contains(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return _exports.Any(export => export.AsSpan().IndexOf(bytes) >= 0);
    }

    /// <summary>Whether one export holds every one of <paramref name="texts"/> (one export comes from one service).</summary>
    public bool HoldsTogether(params string[] texts) =>
        _exports.Any(export => texts.All(text => export.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0));

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            try
            {
                var context = await _listener.GetContextAsync();
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _exports.Enqueue(body.ToArray());
                // An empty protobuf message is a valid Export*ServiceResponse: everything accepted.
                context.Response.ContentType = "application/x-protobuf";
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
            // Told by Dispose's flag, not IsListening: a GetContext ended by Stop can throw before the listener says it stopped.
            catch (Exception ex) when ((ex is HttpListenerException or ObjectDisposedException) && Volatile.Read(ref _stopping))
            {
                return; // stopped, possibly in the middle of a service's last export (which proves nothing either way)
            }
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _stopping, true);
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
