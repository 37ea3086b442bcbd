using System.Net;
using System.Net.Http.Json;

namespace EventBooking.LoadTest;

/// <summary>
/// Valid event requests, each from a new client as the order page sends them: the page and every file it loads
/// (untimed in the closed loop, as a person reads the form before sending it; timed in the open loop, which counts
/// from the arrival), then the form with an Idempotency-Key (timed: POST → 201).
/// </summary>
public static class OrdersScenario
{
    public static Task<ScenarioResult> RunAsync(HttpClient http, int count, int concurrency) => RunAsync(http, new Load(count, concurrency));

    public static async Task<ScenarioResult> RunAsync(HttpClient http, Load load)
    {
        var eventDate = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(3).ToString("yyyy-MM-dd");
        var run = Guid.NewGuid().ToString("N")[..8];
        var page = await SitePage.DiscoverAsync(http, "/order");

        async Task<int> OpenFormAsync(int index)
        {
            await page.FirstVisitAsync(http);
            return index;
        }

        return await LatencyRecorder.RunAsync("orders", load, OpenFormAsync, async index =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = JsonContent.Create(new
                {
                    customerName = "Load Test",
                    email = $"load-{run}-{index}@example.com",
                    eventType = "corporate",
                    eventDate,
                    guestCount = 50,
                    consentToContact = true,
                }),
            };
            request.Headers.Add("Idempotency-Key", $"{run}-{index}");
            using var response = await http.SendAsync(request);
            return response.StatusCode == HttpStatusCode.Created;
        });
    }
}
