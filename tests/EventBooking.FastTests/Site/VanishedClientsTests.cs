extern alias frontend;
using System.Globalization;
using System.Net.Sockets;
using EventBooking.ApiService.Hardening;
using EventBooking.FastTests.Infrastructure;
using EventBooking.Tests.Infrastructure;
using frontend::EventBooking.Frontend.Security;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;

namespace EventBooking.FastTests.Site;

/// <summary>
/// A browser that vanishes without closing is found by the kernel's keep-alive probes on the site's connections, not by
/// WebSocket pings that would wake the processes for every waiting page.
/// </summary>
public sealed class VanishedClientsTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    [Fact]
    public async Task A_browsers_connection_to_the_site_is_probed_by_the_kernel_after_a_minute_of_silence()
    {
        using var warm = site.Client(); // starts the site
        using var browser = new TcpClient();
        await browser.ConnectAsync(IPAddress.Loopback, site.Address.Port);
        var browserPort = ((IPEndPoint)browser.Client.LocalEndPoint!).Port;

        // The site's end of this connection, as the kernel lists it: its timer is the keep-alive timer (2), due in a minute.
        var (timer, dueInSeconds) = await Eventually.ReturnsAsync(
            () => Task.FromResult(KernelTimerOf(site.Address.Port, browserPort)),
            found => found.Timer is not null, TimeSpan.FromSeconds(5), "the site's end of the connection in /proc/net/tcp");

        Assert.Equal(2, timer);
        Assert.InRange(dueInSeconds, VanishedClients.SilenceBeforeProbes.TotalSeconds - 10, VanishedClients.SilenceBeforeProbes.TotalSeconds);
    }

    [Fact]
    public void The_proxy_keeps_a_silent_status_socket_until_the_API_closes_it_as_idle()
    {
        // With no pings, nothing crosses a waiting page's socket: the proxy's activity timeout (YARP's default is 100 s)
        // must outlast the API's idle close, which tells the page why it ends.
        var proxy = site.Services.GetRequiredService<IProxyStateLookup>();
        var sockets = proxy.GetRoutes().Single(route => route.Config.Match.Path == "/ws/{**rest}").Cluster!;

        Assert.True(sockets.Model.Config.HttpRequest?.ActivityTimeout > new WebSocketLimitOptions().IdleTimeout);
    }

    [Fact]
    public void An_accepted_connection_inherits_the_probes_of_the_listening_socket()
    {
        using var listener = VanishedClients.ListenSocket(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var accepted = listener.Accept();

        Assert.Equal(1, (int)accepted.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(VanishedClients.SilenceBeforeProbes.TotalSeconds, (int)accepted.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(VanishedClients.BetweenProbes.TotalSeconds, (int)accepted.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
        Assert.Equal(VanishedClients.UnansweredProbes, (int)accepted.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
    }

    /// <summary>
    /// From /proc/net/tcp ("local rem st tx:rx tr:when …", ports in hex): the kernel timer pending on the connection from
    /// <paramref name="localPort"/> to <paramref name="remotePort"/> and when it fires, in seconds (clock ticks of 1/100 s).
    /// </summary>
    private static (int? Timer, double DueInSeconds) KernelTimerOf(int localPort, int remotePort)
    {
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (PortOf(fields[1]) == localPort && PortOf(fields[2]) == remotePort)
            {
                var timer = fields[5].Split(':');
                return (int.Parse(timer[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    long.Parse(timer[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 100.0);
            }
        }

        return (null, 0);
    }

    private static int PortOf(string address) => int.Parse(address[(address.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
