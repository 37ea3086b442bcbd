using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using EventBooking.FastTests.Infrastructure;
using EventBooking.Tests.Orders;

namespace EventBooking.FastTests.Orders;

public sealed partial class OrdersApiTests(ApiFactory api) : IClassFixture<ApiFactory>, IDisposable
{
    private readonly HttpClient _client = api.ClientAt("192.0.2.20");

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("^EB-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex ReferencePattern();

    [Fact]
    public async Task Valid_order_is_created_and_found_again_by_reference_and_email()
    {
        var order = OrderRequests.Valid();

        using var created = await _client.PostAsync(order);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reference = body.GetProperty("reference").GetString()!;
        Assert.Matches(ReferencePattern(), reference);
        Assert.Null(created.Headers.Location); // a request is read back with its email, never by a URL alone
        Assert.Equal("new", body.GetProperty("status").GetString());
        Assert.Contains(reference, body.GetProperty("nextSteps").GetString());
        Assert.Equal(order["notes"]!.GetValue<string>(), body.GetProperty("notes").GetString());

        var email = order["email"]!.GetValue<string>().ToUpperInvariant();
        using var lookUp = await _client.PostAsJsonAsync("/api/orders/lookup", new { reference = reference.ToLowerInvariant(), email });
        var found = await lookUp.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(reference, found.GetProperty("reference").GetString());
        Assert.Equal("Grace Hopper", found.GetProperty("customerName").GetString());
        Assert.Equal(120, found.GetProperty("guestCount").GetInt32());
    }

    [Fact]
    public async Task Created_order_is_a_committed_row_in_the_sqlite_file()
    {
        var order = OrderRequests.Valid();
        order["venue"] = "Café \"Zum Löwen\", Zürich <b>bold</b>";

        using var created = await _client.PostAsync(order);
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();

        using var db = api.OpenDatabase();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT CustomerName, Email, EventType, GuestCount, Venue, Status FROM Orders WHERE Reference = $reference";
        query.Parameters.AddWithValue("$reference", reference);
        using var row = await query.ExecuteReaderAsync();

        Assert.True(await row.ReadAsync(), "the order is not in the database file");
        Assert.Equal("Grace Hopper", row.GetString(0));
        Assert.Equal(order["email"]!.GetValue<string>(), row.GetString(1));
        Assert.Equal("Corporate", row.GetString(2));
        Assert.Equal(120, row.GetInt32(3));
        Assert.Equal("Café \"Zum Löwen\", Zürich <b>bold</b>", row.GetString(4));
        Assert.Equal("New", row.GetString(5));
    }

    public static TheoryData<string, string, JsonNode?> InvalidFields => new()
    {
        { "customerName", "missing name", null },
        { "customerName", "one-letter name", "A" },
        { "customerName", "name over 100 characters", new string('n', 101) },
        { "customerName", "NUL in name", "Grace\u0000Hopper" },
        { "email", "missing email", null },
        { "email", "email without @", "grace.example.com" },
        { "email", "email without a dotted domain", "grace@localhost" },
        { "email", "email with a space", "grace hopper@example.com" },
        { "email", "email with a display name", "Grace <grace@example.com>" },
        { "email", "email over 254 characters", new string('e', 250) + "@example.com" },
        { "phone", "phone with letters", "call me maybe" },
        { "phone", "phone over 32 characters", new string('1', 33) },
        { "eventType", "missing event type", null },
        { "eventType", "unknown event type", "rave" },
        { "eventDate", "missing date", null },
        { "eventDate", "date in the past", OrderRequests.Today.AddDays(-1).ToString("yyyy-MM-dd") },
        { "eventDate", "date more than 3 years ahead", OrderRequests.Today.AddYears(3).AddDays(1).ToString("yyyy-MM-dd") },
        { "guestCount", "missing guest count", null },
        { "guestCount", "zero guests", 0 },
        { "guestCount", "negative guests", -5 },
        { "guestCount", "more than 10,000 guests", 10_001 },
        { "venue", "venue over 200 characters", new string('v', 201) },
        { "budgetRange", "unknown budget", "a lot" },
        { "notes", "notes over 2,000 characters", new string('x', 2_001) },
        { "notes", "bidi override in notes", "hello \u202Egnp.exe" },
        { "consentToContact", "no consent", false },
        { "consentToContact", "missing consent", null },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task Invalid_field_is_rejected_with_a_validation_problem_naming_it_and_nothing_is_stored(
        string field, string because, JsonNode? value)
    {
        var order = OrderRequests.Valid();
        if (value is null)
        {
            order.Remove(field);
        }
        else
        {
            order[field] = value;
        }

        using var response = await _client.PostAsync(order);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Equal([field], errors);
        Assert.Equal(0, CountOrdersFor(order["email"]?.GetValue<string>()));
    }

    [Fact]
    public async Task An_empty_form_lists_every_required_field_at_once()
    {
        using var response = await _client.PostAsync(new JsonObject());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToList();
        Assert.Equal(["consentToContact", "customerName", "email", "eventDate", "eventType", "guestCount"], errors);
    }

    [Fact]
    public async Task Dates_today_and_exactly_three_years_ahead_are_accepted()
    {
        foreach (var date in new[] { OrderRequests.Today, OrderRequests.Today.AddYears(3) })
        {
            var order = OrderRequests.Valid();
            order["eventDate"] = date.ToString("yyyy-MM-dd");

            using var response = await _client.PostAsync(order);

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task Wrong_content_type_is_415_problem()
    {
        using var response = await _client.PostAsync(
            "/api/orders", new StringContent(OrderRequests.Valid().ToJsonString(), Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type: application/json");
    }

    [Fact]
    public async Task Malformed_json_is_400_problem_that_says_where()
    {
        using var response = await _client.PostAsync(
            "/api/orders", new StringContent("""{"customerName": "Grace", "guestCount": 12""", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_400_problem()
    {
        var order = OrderRequests.Valid();
        order["guestCount"] = "many";

        using var response = await _client.PostAsync(order);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "$.guestCount");
        Assert.Equal(0, CountOrdersFor(order["email"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_body_over_64_KB_is_413_problem()
    {
        var order = OrderRequests.Valid();
        order["padding"] = new string('p', 65 * 1024);

        using var response = await _client.PostAsync(order);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "64 KB");
        Assert.Equal(0, CountOrdersFor(order["email"]!.GetValue<string>()));
    }

    private int CountOrdersFor(string? email)
    {
        using var db = api.OpenDatabase();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM Orders WHERE Email = $email";
        query.Parameters.AddWithValue("$email", email ?? string.Empty);
        return Convert.ToInt32(query.ExecuteScalar());
    }

    private static async Task<string> ReferenceOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;

    private static string WithoutTraceId(string problem)
    {
        var node = JsonNode.Parse(problem)!.AsObject();
        node.Remove("traceId");
        return node.ToJsonString();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString());
    }
}
