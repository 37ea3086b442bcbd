using System.Text.Json;
using EventBooking.Tests.Orders;

namespace EventBooking.FastTests.Orders;

/// <summary>Repeated submissions (Idempotency-Key) and look-ups.</summary>
public sealed partial class OrdersApiTests
{
    [Fact]
    public async Task Repeating_a_submission_with_the_same_idempotency_key_returns_the_same_order()
    {
        var order = OrderRequests.Valid();
        var key = Guid.NewGuid().ToString();

        using var first = await _client.PostAsync(order, key);
        using var repeat = await _client.PostAsync(order, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(await ReferenceOf(first), await ReferenceOf(repeat));
        Assert.Equal(1, CountOrdersFor(order["email"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Concurrent_double_submissions_with_one_key_store_one_order()
    {
        var order = OrderRequests.Valid();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _client.PostAsync(order, key)));
        var references = await Task.WhenAll(responses.Select(ReferenceOf));

        Assert.Single(references.Distinct());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, CountOrdersFor(order["email"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Reusing_an_idempotency_key_for_a_different_request_is_409()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await _client.PostAsync(OrderRequests.Valid(), key);

        var other = OrderRequests.Valid();
        using var reused = await _client.PostAsync(other, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertProblemAsync(reused, HttpStatusCode.Conflict, "new key");
        Assert.Equal(0, CountOrdersFor(other["email"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Lookup_with_a_wrong_email_or_unknown_reference_gives_the_same_404()
    {
        var order = OrderRequests.Valid();
        using var created = await _client.PostAsync(order);
        var reference = await ReferenceOf(created);

        using var wrongEmail = await _client.PostAsJsonAsync("/api/orders/lookup", new { reference, email = "someone-else@example.com" });
        using var unknown = await _client.PostAsJsonAsync("/api/orders/lookup", new { reference = "EB-2222-2222", email = order["email"]!.GetValue<string>() });

        Assert.Equal(HttpStatusCode.NotFound, wrongEmail.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(WithoutTraceId(await wrongEmail.Content.ReadAsStringAsync()), WithoutTraceId(await unknown.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Lookup_without_an_email_is_a_validation_problem()
    {
        using var response = await _client.PostAsJsonAsync("/api/orders/lookup", new { reference = "EB-2222-2222" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));
    }
}
