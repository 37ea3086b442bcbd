using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Hardening;

/// <summary>
/// Who may open one of the browsers' WebSockets: the site's own pages (Origin), and at most so many per client at
/// once. Serving an admitted socket is <see cref="Realtime.SocketServer"/>'s job.
/// </summary>
public sealed class WebSocketGuard(IOptions<WebSocketLimitOptions> options, ILogger<WebSocketGuard> logger)
{
    private readonly ConcurrentDictionary<string, int> _openPerClient = new();
    private readonly WebSocketLimitOptions _limits = options.Value;

    /// <summary>Why this upgrade request is refused, or null when it may go ahead.</summary>
    public IResult? Refuse(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(detail: "Open this address as a WebSocket.", statusCode: StatusCodes.Status400BadRequest);
        }

        // Browsers always send Origin on a WebSocket upgrade; another site's page must not ride on our cookies.
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(context.Request, origin))
        {
            logger.LogWarning("WebSocket refused: origin {Origin} is not this site", origin);
            return TypedResults.Problem(title: "This page may not open the site's live updates.", statusCode: StatusCodes.Status403Forbidden);
        }

        // Taken here, atomically, and given back when the request ends: parallel upgrades cannot slip past the cap.
        var client = context.ClientKey();
        if (TryTakeSlot(client))
        {
            context.Response.RegisterForDispose(new Slot(this, client));
        }
        else
        {
            context.Response.Headers.RetryAfter = "10";
            return TypedResults.Problem(
                title: "Too many open live connections.",
                detail: $"Close some of this site's tabs; at most {_limits.MaxPerClient} may be open at once.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        return null;
    }

    private bool TryTakeSlot(string client)
    {
        while (true)
        {
            var open = _openPerClient.GetOrAdd(client, 0);
            if (open >= _limits.MaxPerClient)
            {
                return false;
            }

            if (_openPerClient.TryUpdate(client, open + 1, open))
            {
                return true;
            }
        }
    }

    private void ReturnSlot(string client)
    {
        if (_openPerClient.AddOrUpdate(client, 0, (_, count) => count - 1) == 0)
        {
            _openPerClient.TryRemove(new KeyValuePair<string, int>(client, 0));
        }
    }

    private sealed class Slot(WebSocketGuard guard, string client) : IDisposable
    {
        public void Dispose() => guard.ReturnSlot(client);
    }

    private bool IsAllowedOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (string.Equals(uri.GetComponents(UriComponents.HostAndPort, UriFormat.UriEscaped), request.Host.Value, StringComparison.OrdinalIgnoreCase)
            || _limits.AllowedOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase));
}
