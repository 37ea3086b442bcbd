using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventBooking.Tests.Orders;

public static class OrderRequests
{
    public static string UniqueEmail(string tag = "client") => $"{tag}-{Guid.NewGuid():N}@example.com";

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>A complete, valid order; tests change one field at a time.</summary>
    public static JsonObject Valid(string? email = null) => new()
    {
        ["customerName"] = "Grace Hopper",
        ["email"] = email ?? UniqueEmail(),
        ["phone"] = "+44 20 7946 0958",
        ["eventType"] = "corporate",
        ["eventDate"] = Today.AddMonths(2).ToString("yyyy-MM-dd"),
        ["guestCount"] = 120,
        ["venue"] = "Manchester",
        ["budgetRange"] = "15k-50k",
        ["notes"] = "Vegetarian catering, please.\nStep-free access needed.",
        ["consentToContact"] = true,
    };

    public static async Task<HttpResponseMessage> PostAsync(
        this HttpClient client, JsonObject order, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(order),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }
}
