namespace EventBooking.Tests;

/// <summary>A signed-in manager's client and the back office's live feed opened with its cookie.</summary>
public sealed record ManagerFeed(HttpClient Manager, System.Net.WebSockets.ClientWebSocket Socket) : IDisposable
{
    public void Dispose()
    {
        Socket.Dispose();
        Manager.Dispose();
    }
}
