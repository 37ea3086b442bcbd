using System.Net;
using System.Net.Sockets;

namespace EventBooking.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A loopback port nobody listens on right now (the system's choice), for a server a test starts.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
