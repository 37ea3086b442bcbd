using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventBooking.Frontend.Security;

/// <summary>
/// At most <c>Site:MaxConnectionsPerClient</c> (100) open connections from one address (an IPv6 client counts by its
/// /64, as the API's limits do): beyond them a new connection is closed at once, so one client holding idle
/// connections cannot take the whole site's cap (<c>Site:MaxConnections</c>) from everyone else. 0 = no cap.
/// </summary>
public static class ConnectionsPerClient
{
    public const string Setting = "Site:MaxConnectionsPerClient";
    public const int Default = 100;

    public static void LimitConnectionsPerClient(this KestrelServerOptions kestrel, int limit)
    {
        if (limit <= 0)
        {
            return;
        }

        var open = new ConcurrentDictionary<string, int>();
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => async connection =>
        {
            var client = ClientOf(connection.RemoteEndPoint);
            if (open.AddOrUpdate(client, 1, (_, count) => count + 1) > limit)
            {
                Release(open, client);
                connection.Abort(new ConnectionAbortedException($"More than {limit} connections from one client."));
                return;
            }

            try
            {
                await next(connection);
            }
            finally
            {
                Release(open, client);
            }
        }));
    }

    private static void Release(ConcurrentDictionary<string, int> open, string client)
    {
        // The last connection of a client takes its entry with it, so the table holds only clients with a connection.
        if (open.AddOrUpdate(client, 0, (_, count) => count - 1) == 0)
        {
            open.TryRemove(new KeyValuePair<string, int>(client, 0));
        }
    }

    private static string ClientOf(EndPoint? endPoint)
    {
        if (endPoint is not IPEndPoint { Address: var address })
        {
            return "unknown";
        }

        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }

        return address.ToString();
    }
}
