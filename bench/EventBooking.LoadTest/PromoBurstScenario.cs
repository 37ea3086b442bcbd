using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace EventBooking.LoadTest;

/// <summary>
/// N sign-ups from C concurrent clients; every accepted client then watches its WebSocket to the final status.
/// Reports accept latency, time until all are final, push latency, and checks the promo invariants for this run.
/// </summary>
public static class PromoBurstScenario
{
    private sealed record Outcome(string RegistrationId, long Sequence, string Status, string? Code, double PushMs);

    public static async Task<ScenarioResult> RunAsync(HttpClient http, LoadTestOptions options)
    {
        var before = await http.GetFromJsonAsync<JsonElement>("/api/promo");
        var codesLeftBefore = before.GetProperty("codesLeft").GetInt32();
        var run = Guid.NewGuid().ToString("N")[..8];
        var outcomes = new ConcurrentBag<Outcome>();
        var watchers = new ConcurrentBag<Task>();
        var clock = Stopwatch.StartNew();

        var accept = await LatencyRecorder.RunAsync($"promo-burst accept (n={options.Count}, c={options.Concurrency})", options.Count, options.Concurrency, async index =>
        {
            using var response = await http.PostAsJsonAsync("/api/promo/registrations", new { email = $"burst-{run}-{index}@example.com", name = $"Client {index}" });
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return false;
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            watchers.Add(WatchAsync(http.BaseAddress!, body.GetProperty("statusUrl").GetString()!, outcomes));
            return true;
        });

        await Task.WhenAll(watchers);
        var allFinal = clock.Elapsed;

        var sorted = outcomes.OrderBy(o => o.Sequence).ToList();
        var winners = sorted.Where(o => o.Status == "CodeIssued").ToList();
        var expectedWinners = Math.Min(codesLeftBefore, options.Count);
        var pushes = outcomes.Select(o => o.PushMs).Order().ToArray();
        var c = CultureInfo.InvariantCulture;

        var checks = new List<(string Check, bool Ok)>
        {
            ("every accepted sign-up reached a final status", outcomes.Count == accept.SortedMilliseconds.Length - accept.Errors),
            ($"exactly min(codes left {codesLeftBefore}, {options.Count}) = {expectedWinners} codes", winners.Count == expectedWinners),
            ("codes went to the earliest sequence numbers", sorted.Take(winners.Count).All(o => o.Status == "CodeIssued")),
            ("no two registrations share a code", winners.Select(w => w.Code).Distinct().Count() == winners.Count),
            ("nobody failed", outcomes.All(o => o.Status is "CodeIssued" or "SoldOut")),
        };

        var extra = new StringBuilder()
            .AppendLine(string.Create(c, $"time until all final: {allFinal.TotalSeconds:0.00} s (first sign-up to last final status received)"))
            .AppendLine(string.Create(c, $"push latency (decision → client receipt): p50 {Pick(pushes, 50):0.0} ms, p99 {Pick(pushes, 99):0.0} ms"));
        foreach (var (check, ok) in checks)
        {
            extra.AppendLine($"[{(ok ? "ok" : "FAILED")}] {check}");
        }

        return accept with { Notes = extra.ToString(), Errors = accept.Errors + checks.Count(c => !c.Ok) };
    }

    private static async Task WatchAsync(Uri site, string statusUrl, ConcurrentBag<Outcome> outcomes)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(new Uri(site, statusUrl)) { Scheme = site.Scheme == "https" ? "wss" : "ws" }.Uri, CancellationToken.None);
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        JsonElement last = default;
        var receivedAt = DateTime.UtcNow;
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                break;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                receivedAt = DateTime.UtcNow;
                last = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
            }
        }

        var decidedAt = last.GetProperty("at").GetDateTime().ToUniversalTime();
        outcomes.Add(new Outcome(
            last.GetProperty("registrationId").GetString()!,
            last.GetProperty("sequence").GetInt64(),
            last.GetProperty("status").GetString()!,
            last.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null,
            (receivedAt - decidedAt).TotalMilliseconds));
    }

    private static double Pick(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Ceiling(p / 100 * sorted.Length) - 1];
}
