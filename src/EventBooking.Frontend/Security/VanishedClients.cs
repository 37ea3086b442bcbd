using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace EventBooking.Frontend.Security;

/// <summary>
/// Finds browsers that vanished without closing (a laptop shut, a network gone) with the kernel's TCP keep-alive
/// probes rather than WebSocket pings. A waiting page's socket carries nothing for minutes; pinging 5,000 of them
/// every 20 s woke the API and this proxy 500 times a second, a tenth of a core for nothing, where the kernel's probes
/// wake no process. A client silent for a minute is probed every 10 s; after 3 unanswered probes its connection is
/// closed, and the proxy closes its socket to the API with it. Accepted connections inherit the listening socket's
/// settings (Linux copies them on accept).
/// </summary>
public static class VanishedClients
{
    public static readonly TimeSpan SilenceBeforeProbes = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan BetweenProbes = TimeSpan.FromSeconds(10);
    public const int UnansweredProbes = 3;

    public static IWebHostBuilder ProbeVanishedClients(this IWebHostBuilder webHost) =>
        webHost.UseSockets(sockets => sockets.CreateBoundListenSocket = ListenSocket);

    /// <summary>Kestrel's own listening socket, with keep-alive probes on for TCP.</summary>
    public static Socket ListenSocket(EndPoint endpoint)
    {
        var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, (int)SilenceBeforeProbes.TotalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, (int)BetweenProbes.TotalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, UnansweredProbes);
        }

        return socket;
    }
}
