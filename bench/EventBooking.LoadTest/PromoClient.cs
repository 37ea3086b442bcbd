using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using EventBooking.Messaging;

namespace EventBooking.LoadTest;

/// <summary>
/// The final status a watcher saw, and how long its push took from the notifier's decision; the codes left when it
/// was decided, if the status said (a page told 0 does not count again).
/// </summary>
public sealed record PromoOutcome(string RegistrationId, long Sequence, string Status, string? Code, double PushMilliseconds, int? CodesLeft = null);

/// <summary>The promo page's status socket, and the promo invariants over what the pages saw.</summary>
public static class PromoClient
{
    private static long s_messages;

    /// <summary>Status messages the watching pages received since the last call (a figure of how chatty a wait is).</summary>
    public static long TakeMessages() => Interlocked.Exchange(ref s_messages, 0);

    /// <summary>Receives every status until the normal close; <paramref name="connected"/> runs on the first one.</summary>
    public static async Task<PromoOutcome> WatchAsync(Uri site, string statusUrl, Action? connected = null, CancellationToken cancellationToken = default)
    {
        using var socket = new ClientWebSocket();
        // As a browser: it answers the server's pings and never sends frames of its own (ClientWebSocket would send an
        // unsolicited pong every 30 s, a third more idle traffic than pages cause).
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var address = new UriBuilder(new Uri(site, statusUrl)) { Scheme = site.Scheme == "https" ? "wss" : "ws" }.Uri;
        await socket.ConnectAsync(address, cancellationToken);

        var buffer = new byte[4096];
        using var message = new MemoryStream();
        JsonElement? last = null;
        var receivedAt = DateTime.UtcNow;
        while (socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
            }
            catch (WebSocketException) when (last is { } status && IsFinal(status))
            {
                // The page has shown the final status; a connection cut in the close handshake after it (the server
                // waits 5 s for the answer, which an overloaded client can miss) takes nothing from the person.
                break;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                break;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                receivedAt = DateTime.UtcNow;
                Interlocked.Increment(ref s_messages);
                if (last is null)
                {
                    connected?.Invoke();
                }

                last = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
            }
        }

        return Outcome(last ?? throw new InvalidOperationException($"{statusUrl} closed without sending a status."), receivedAt);
    }

    private static bool IsFinal(JsonElement status) =>
        Enum.TryParse<PromoStatus>(status.GetProperty("status").GetString(), out var parsed) && parsed.IsFinal();

    /// <summary>A final status document as a page received it at <paramref name="receivedAt"/>.</summary>
    public static PromoOutcome Outcome(JsonElement final, DateTime receivedAt) => new(
        final.GetProperty("registrationId").GetString()!,
        final.GetProperty("sequence").GetInt64(),
        final.GetProperty("status").GetString()!,
        final.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null,
        (receivedAt - final.GetProperty("at").GetDateTime().ToUniversalTime()).TotalMilliseconds,
        final.TryGetProperty("codesLeft", out var left) && left.ValueKind == JsonValueKind.Number ? left.GetInt32() : null);

    /// <summary>The promo invariants over one run's outcomes, given how many codes were left before it.</summary>
    public static IReadOnlyList<Check> Invariants(IReadOnlyCollection<PromoOutcome> outcomes, int accepted, int codesLeftBefore)
    {
        var sorted = outcomes.OrderBy(o => o.Sequence).ToList();
        var winners = sorted.Where(o => o.Status == "CodeIssued").ToList();
        var expected = Math.Min(codesLeftBefore, accepted);
        return
        [
            new($"every accepted sign-up ({accepted:N0}) reached a final status", outcomes.Count == accepted
                && outcomes.All(o => Enum.TryParse<PromoStatus>(o.Status, out var status) && status.IsFinal())),
            new($"exactly min(codes left {codesLeftBefore}, {accepted:N0}) = {expected} codes", winners.Count == expected),
            new("codes went to the earliest sequence numbers", sorted.Take(winners.Count).All(o => o.Status == "CodeIssued")),
            new("no two registrations share a code", winners.Select(w => w.Code).Distinct().Count() == winners.Count),
            new("nobody failed", outcomes.All(o => o.Status != "Failed")),
        ];
    }

    public static async Task<int> CodesLeftAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/promo")).GetProperty("codesLeft").GetInt32();
}
