using System.ComponentModel.DataAnnotations;

namespace EventBooking.ApiService.Hardening;

/// <summary>Limits on the browsers' WebSockets, so no client can hold the server's memory or sockets hostage.</summary>
public sealed class WebSocketLimitOptions
{
    public const string Section = "WebSockets";

    /// <summary>Open sockets one IP address may hold at once (a family behind one router opens a few).</summary>
    [Range(1, 100_000)]
    public int MaxPerClient { get; set; } = 20;

    /// <summary>Clients only need to send pings; a bigger message closes the socket (1009).</summary>
    [Range(16, 65_536)]
    public int MaxMessageBytes { get; set; } = 1024;

    /// <summary>Messages a client may send over a socket's lifetime before it is closed (1008).</summary>
    [Range(1, 100_000)]
    public int MaxClientMessages { get; set; } = 60;

    /// <summary>A socket that has had nothing to say for this long is closed; the pages reconnect.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// WebSocket pings, off by default (0): the site finds vanished browsers with the kernel's TCP probes, which cost no
    /// process a wake-up (see the site's VanishedClients). Turn them on behind a proxy that cuts silent connections sooner
    /// than the pages' 10 idle minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.Zero;

    /// <summary>With pings on: no pong within this time after a ping, the peer is gone and the socket is aborted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Origins (scheme://host:port) allowed besides the site's own; browsers always send one.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
