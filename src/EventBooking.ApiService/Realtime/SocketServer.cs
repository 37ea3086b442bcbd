using System.Net.WebSockets;
using System.Threading.Channels;
using EventBooking.ApiService.Hardening;
using Microsoft.Extensions.Options;

namespace EventBooking.ApiService.Realtime;

/// <summary>
/// Serves an admitted WebSocket (see <see cref="WebSocketGuard"/>): sends each update, closes idle sockets, and ends
/// sockets whose client misbehaves (binary, oversized or too many messages), always with a close status that says why.
/// </summary>
public sealed class SocketServer(IOptions<WebSocketLimitOptions> options, ILogger<SocketServer> logger)
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);
    private const int PieceBytes = 64;

    private readonly WebSocketLimitOptions _limits = options.Value;

    /// <summary>
    /// Accepts the upgrade and sends each update until a final one, an idle spell, a client's close or misbehaviour,
    /// <paramref name="ended"/> (e.g. the manager's session), or the server stopping; then closes with a status that says which.
    /// </summary>
    public async Task ServeAsync<T>(
        HttpContext context, ChannelReader<T> updates, Func<T, byte[]> serialize, Func<T, bool> isFinal, Action? onSent = null,
        CancellationToken ended = default)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = _limits.KeepAliveInterval,
            KeepAliveTimeout = _limits.KeepAliveTimeout,
        });
        await PumpAsync(socket, updates, serialize, isFinal, onSent, context.RequestAborted, ended);
    }

    private async Task PumpAsync<T>(
        WebSocket socket, ChannelReader<T> updates, Func<T, byte[]> serialize, Func<T, bool> isFinal, Action? onSent,
        CancellationToken aborted, CancellationToken ended)
    {
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var idle = new CancellationTokenSource(_limits.IdleTimeout);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(closed.Token, idle.Token, ended);
        // A push under way is not cancelled when the receiver stops: cancelling a WebSocket send aborts the connection,
        // and a client that broke a rule mid-push would get a reset instead of the close status that says why.
        using var pushing = CancellationTokenSource.CreateLinkedTokenSource(aborted, idle.Token, ended);
        var receiving = ReceiveAsync(socket, closed);
        var closeStatus = (WebSocketCloseStatus.EndpointUnavailable, "server stopping");

        try
        {
            await foreach (var update in updates.ReadAllAsync(sending.Token))
            {
                await socket.SendAsync(serialize(update), WebSocketMessageType.Text, endOfMessage: true, pushing.Token);
                onSent?.Invoke();
                idle.CancelAfter(_limits.IdleTimeout);
                if (isFinal(update))
                {
                    closeStatus = (WebSocketCloseStatus.NormalClosure, "final status");
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested && !closed.IsCancellationRequested)
        {
            closeStatus = (WebSocketCloseStatus.PolicyViolation, "session ended");
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !closed.IsCancellationRequested)
        {
            closeStatus = (WebSocketCloseStatus.NormalClosure, "idle");
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away or broke a rule (the receiver says which), or the server is stopping.
        }

        // `closed` is cancelled when the receiver stops (client close, broken rule) or the request is aborted; then
        // the receiver is finishing and says whether a rule was broken. Otherwise (final status, idle) it still runs.
        if (closed.IsCancellationRequested && await receiving is { } broken)
        {
            closeStatus = broken;
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            try
            {
                await socket.CloseOutputAsync(closeStatus.Item1, closeStatus.Item2, timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                logger.LogDebug("A WebSocket went away during its close handshake");
            }
        }

        // Give the client a moment to answer the close; then stop reading whatever it does.
        closed.CancelAfter(CloseHandshakeTimeout);
        await receiving;
    }

    /// <summary>
    /// Reads what the client sends, so its close is noticed. Clients have nothing to say but small pings: binary,
    /// oversized, or too many messages end the socket. Returns the close status for a broken rule. Only the length of
    /// a message counts, never its content, so it is read in small pieces into a small buffer and dropped: a buffer of
    /// the whole limit (1 KB) was held by each of thousands of waiting sockets.
    /// </summary>
    private async Task<(WebSocketCloseStatus, string)?> ReceiveAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var pieces = new byte[PieceBytes];
        var messages = 0;
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(pieces.AsMemory(), closed.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length <= _limits.MaxMessageBytes && result.MessageType != WebSocketMessageType.Close);

                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return null;
                    case WebSocketMessageType.Binary:
                        return Broke(WebSocketCloseStatus.InvalidMessageType, "binary messages are not accepted");
                    case var _ when length > _limits.MaxMessageBytes:
                        return Broke(WebSocketCloseStatus.MessageTooBig, "message too big");
                    case var _ when ++messages > _limits.MaxClientMessages:
                        return Broke(WebSocketCloseStatus.PolicyViolation, "too many messages");
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Client vanished without a close frame, or the close handshake timed out.
        }
        finally
        {
            await closed.CancelAsync();
        }

        return null;
    }

    private (WebSocketCloseStatus, string) Broke(WebSocketCloseStatus status, string reason)
    {
        logger.LogWarning("Closing a WebSocket whose client broke a rule: {Reason}", reason);
        return (status, reason);
    }
}
