using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using EventBooking.Tests.Promo;

namespace EventBooking.Tests.Chaos;

/// <summary>
/// Follows one registration the way the promo page's script does (live.js): a status socket, and when it drops,
/// a poll every 3 s plus reconnects with a growing pause (1 s, 2 s, 4 s… up to 15 s), or at once when a poll is
/// answered, until a final status arrives.
/// </summary>
public sealed class PageLikeWatcher(HttpClient site, SignUp signUp)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(15);

    /// <summary>Completes once the first status arrived on the socket (the page is watching).</summary>
    public TaskCompletionSource Watching { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When the final status reached this page (on the test's clock), and which it was.</summary>
    public (TimeSpan At, string Status)? Final { get; private set; }

    public async Task FollowAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (Final is null)
        {
            if (await ReadSocketAsync(clock, cancellationToken))
            {
                return;
            }

            failures++;
            var pause = TimeSpan.FromMilliseconds(Math.Min(1_000 * Math.Pow(2, failures - 1), LongestPause.TotalMilliseconds));
            var reconnectAt = clock.Elapsed + pause;
            while (clock.Elapsed < reconnectAt && Final is null)
            {
                if (await PollAsync(clock))
                {
                    break;
                }

                await Task.Delay(Min(Poll, reconnectAt - clock.Elapsed), cancellationToken);
            }
        }
    }

    private async Task<bool> ReadSocketAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = await site.ConnectAsync(signUp.StatusUrl, cancellationToken);
            await socket.ReadUntilClosedAsync(cancellationToken, message =>
            {
                Watching.TrySetResult();
                Observe(message, clock);
            });
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException)
        {
            // The API (or its proxy) is down: the page polls and tries again.
        }

        return Final is not null;
    }

    /// <summary>True when the server answered (the page then reconnects at once).</summary>
    private async Task<bool> PollAsync(Stopwatch clock)
    {
        try
        {
            using var response = await site.GetAsync($"/api/promo/registrations/{signUp.RegistrationId}");
            if (response.IsSuccessStatusCode)
            {
                Observe(await response.Content.ReadFromJsonAsync<JsonElement>(), clock);
                return true;
            }
        }
        catch (HttpRequestException)
        {
            // Offline for now; the next tick tries again.
        }

        return false;
    }

    private void Observe(JsonElement status, Stopwatch clock)
    {
        var name = status.GetProperty("status").GetString()!;
        if (Final is null && PromoClient.FinalStatuses.Contains(name))
        {
            Final = (clock.Elapsed, name);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => (a < b ? a : b) is var least && least > TimeSpan.Zero ? least : TimeSpan.Zero;
}
