using System.Net.Sockets;
using System.Text;
using EventBooking.FastTests.Infrastructure;
using EventBooking.Tests.Infrastructure;

namespace EventBooking.FastTests.Site;

/// <summary>The site with room for three connections per client.</summary>
public sealed class CappedSite : SiteFactory
{
    public const int PerClient = 3;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Site:MaxConnectionsPerClient"] = $"{PerClient}",
    };
}

/// <summary>One address holding connections cannot shut anybody else out (loopback gives each test client an address of its own).</summary>
public sealed class ConnectionsPerClientTests(CappedSite site) : IClassFixture<CappedSite>
{
    [Fact]
    public async Task A_client_past_its_connections_is_refused_while_another_client_is_served_and_a_closed_connection_frees_a_place()
    {
        using var warm = site.Client(); // starts the site
        var greedy = new List<TcpClient>();
        try
        {
            for (var i = 0; i < CappedSite.PerClient; i++)
            {
                var held = await ConnectFromAsync("127.0.0.2");
                Assert.Equal(200, await GetAsync(held));
                greedy.Add(held);
            }

            Assert.Null(await GetOnNewConnectionAsync("127.0.0.2"));
            Assert.Equal(200, await GetOnNewConnectionAsync("127.0.0.3"));

            greedy[0].Dispose();
            greedy.RemoveAt(0);
            var freed = await Eventually.ReturnsAsync(() => GetOnNewConnectionAsync("127.0.0.2"), status => status == 200,
                TimeSpan.FromSeconds(10), "a place freed by a closed connection");
            Assert.Equal(200, freed);
        }
        finally
        {
            greedy.ForEach(c => c.Dispose());
        }
    }

    private async Task<TcpClient> ConnectFromAsync(string address)
    {
        var client = new TcpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), 0));
        await client.ConnectAsync("127.0.0.1", site.Address.Port);
        return client;
    }

    /// <summary>
    /// The status of a GET / on a new connection from <paramref name="address"/>, or null if the site refused it: it
    /// closes such a connection at once, which on a busy machine reaches this side before its connect has completed.
    /// </summary>
    private async Task<int?> GetOnNewConnectionAsync(string address)
    {
        try
        {
            using var client = await ConnectFromAsync(address);
            return await GetOrClosedAsync(client);
        }
        catch (SocketException reset) when (reset.SocketErrorCode == SocketError.ConnectionReset)
        {
            return null;
        }
    }

    private static async Task<int> GetAsync(TcpClient client) =>
        await GetOrClosedAsync(client) ?? throw new InvalidOperationException("the site closed the connection");

    /// <summary>The status of a GET / on this kept-alive connection, or null if the site closed it instead.</summary>
    private static async Task<int?> GetOrClosedAsync(TcpClient client)
    {
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /favicon.svg HTTP/1.1\r\nHost: site\r\n\r\n"));
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            return read == 0 ? null : int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
