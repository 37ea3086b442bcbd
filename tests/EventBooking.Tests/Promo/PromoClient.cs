using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventBooking.Messaging;

namespace EventBooking.Tests.Promo;

public sealed record SignUp(HttpStatusCode Status, string RegistrationId, long Sequence, string StatusUrl, string Email);

/// <summary>What one WebSocket client saw, in order, and how the server closed it.</summary>
public sealed record Watch(IReadOnlyList<JsonElement> Messages, WebSocketCloseStatus? CloseStatus)
{
    public IReadOnlyList<string> Statuses => Messages.Select(m => m.GetProperty("status").GetString()!).ToList();

    public JsonElement Final => Messages[^1];
}

/// <summary>Talks to the promo API the way the promo page does: through the frontend, over HTTP and WebSocket.</summary>
public static class PromoClient
{
    /// <summary>From the contracts' one definition of "decided".</summary>
    public static readonly string[] FinalStatuses = [.. Enum.GetValues<PromoStatus>().Where(s => s.IsFinal()).Select(s => s.ToString())];

    public static async Task<SignUp> SignUpAsync(this HttpClient frontend, string email, string name = "Promo Tester")
    {
        using var response = await frontend.PostAsJsonAsync("/api/promo/registrations", new { email, name });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"sign-up answered {(int)response.StatusCode}: {body}");
        return new SignUp(response.StatusCode, body.GetProperty("registrationId").GetString()!, body.GetProperty("sequence").GetInt64(),
            body.GetProperty("statusUrl").GetString()!, email);
    }

    public static async Task<ClientWebSocket> ConnectAsync(this HttpClient frontend, string statusUrl, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(new Uri(frontend.BaseAddress!, statusUrl)) { Scheme = "ws" }.Uri;
        await socket.ConnectAsync(uri, cancellationToken);
        return socket;
    }

    /// <summary>Reads messages until the server closes the socket (or the token fires).</summary>
    public static async Task<Watch> ReadUntilClosedAsync(this ClientWebSocket socket, CancellationToken cancellationToken,
        Action<JsonElement>? onMessage = null)
    {
        var messages = new List<JsonElement>();
        var buffer = new byte[8 * 1024];
        using var text = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                break;
            }

            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var message = JsonDocument.Parse(Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length)).RootElement.Clone();
                messages.Add(message);
                onMessage?.Invoke(message);
                text.SetLength(0);
            }
        }

        return new Watch(messages, socket.CloseStatus);
    }

    public static async Task<JsonElement> GetStatusAsync(this HttpClient frontend, string registrationId) =>
        await frontend.GetFromJsonAsync<JsonElement>($"/api/promo/registrations/{registrationId}");

    public static Task<JsonElement> FinalStatusAsync(this HttpClient frontend, string registrationId, TimeSpan timeout) =>
        Eventually.ReturnsAsync(() => frontend.GetStatusAsync(registrationId),
            status => FinalStatuses.Contains(status.GetProperty("status").GetString()), timeout, $"{registrationId} reaches a final status");
}
