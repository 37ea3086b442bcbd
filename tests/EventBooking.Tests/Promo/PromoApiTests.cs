using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using EventBooking.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.Promo;

[Collection(GraphCollection.Name)]
public sealed class PromoApiTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Promo_info_gives_the_total_and_the_codes_left()
    {
        var promo = await graph.Frontend.GetFromJsonAsync<JsonElement>("/api/promo");

        Assert.Equal(10, promo.GetProperty("totalCodes").GetInt32());
        Assert.True(promo.GetProperty("isOpen").GetBoolean());
        // Codes left is what the stored decisions leave (asked again until no decision lands in between).
        await Eventually.HoldsAsync(async () =>
            (await graph.Frontend.GetFromJsonAsync<JsonElement>("/api/promo")).GetProperty("codesLeft").GetInt32()
                == 10 - PromoInvariants.Registrations(graph).Count(r => r.Status == "CodeIssued"),
            Timeout, "codes left matches the stored decisions");
    }

    [Fact]
    public async Task A_sign_up_is_accepted_with_a_status_url_and_reaches_a_final_status()
    {
        using var response = await graph.Frontend.PostAsJsonAsync("/api/promo/registrations", new { email = OrderRequestsEmail(), name = "Ada" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = body.GetProperty("registrationId").GetString()!;
        Assert.True(id.Length >= 22, "the registration id carries at least 128 random bits");
        Assert.Equal("Queued", body.GetProperty("status").GetString());
        Assert.InRange(body.GetProperty("position").GetInt32(), 0, body.GetProperty("sequence").GetInt64() - 1);
        Assert.Equal($"/ws/promo/{id}", body.GetProperty("statusUrl").GetString());

        var final = await graph.Frontend.FinalStatusAsync(id, Timeout);
        Assert.Contains(final.GetProperty("status").GetString(), new[] { "CodeIssued", "SoldOut" });
    }

    [Fact]
    public async Task Signing_up_again_with_the_same_email_reveals_nothing_of_the_first_registration()
    {
        var email = OrderRequestsEmail();
        var first = await graph.Frontend.SignUpAsync(email);
        await graph.Frontend.FinalStatusAsync(first.RegistrationId, Timeout);

        using var again = await graph.Frontend.PostAsJsonAsync("/api/promo/registrations", new { email = $"  {email.ToUpperInvariant()} ", name = "Mallory" });
        var body = await again.Content.ReadAsStringAsync();
        var answer = JsonDocument.Parse(body).RootElement;

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(answer.GetProperty("alreadyInQueue").GetBoolean());
        Assert.Contains("already in the queue", answer.GetProperty("message").GetString());
        Assert.DoesNotContain(first.RegistrationId, body);
        Assert.Equal(["alreadyInQueue", "message"], answer.EnumerateObject().Select(p => p.Name));
        Assert.Single(PromoInvariants.Registrations(graph), r => r.Email == email);
        if (PromoInvariants.NotifierDecisions(graph)[first.RegistrationId] is { } code)
        {
            Assert.DoesNotContain(code, body);
        }
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200D")]
    [InlineData("\uFEFF")]
    [InlineData("\u202E")]
    public async Task An_email_with_an_invisible_character_is_refused_by_sign_ups_orders_and_look_ups(string escaped)
    {
        var invisible = System.Text.RegularExpressions.Regex.Unescape(escaped);
        var email = $"twin{invisible}-{Guid.NewGuid():N}@example.com";
        var order = OrderRequests.Valid(email);

        using var signUp = await graph.Frontend.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Twin" });
        using var ordered = await graph.Frontend.PostAsync(order);
        using var lookUp = await graph.Frontend.PostAsJsonAsync("/api/orders/lookup", new { reference = "EB-AAAA-AAAA", email });

        foreach (var response in new[] { signUp, ordered, lookUp })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal(["email"], errors.EnumerateObject().Select(e => e.Name));
        }
    }

    [Theory]
    [InlineData("email", null, "Ada")]
    [InlineData("email", "not-an-email", "Ada")]
    [InlineData("email", "ada@localhost", "Ada")]
    [InlineData("name", "ada@example.com", null)]
    [InlineData("name", "ada@example.com", "")]
    public async Task An_invalid_sign_up_is_a_validation_problem_naming_the_field(string field, string? email, string? name)
    {
        using var response = await graph.Frontend.PostAsJsonAsync("/api/promo/registrations", new { email, name });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task An_unknown_registration_is_404_over_http_and_before_the_websocket_upgrade()
    {
        using var get = await graph.Frontend.GetAsync("/api/promo/registrations/no-such-registration");
        using var socket = new ClientWebSocket();
        var connect = () => socket.ConnectAsync(new UriBuilder(new Uri(graph.Frontend.BaseAddress!, "/ws/promo/no-such-registration")) { Scheme = "ws" }.Uri, CancellationToken.None);

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        var refused = await Assert.ThrowsAsync<WebSocketException>(connect);
        Assert.Contains("404", refused.Message);
    }

    [Fact]
    public async Task A_websocket_opened_after_the_final_status_receives_it_at_once_and_is_closed_normally()
    {
        var signUp = await graph.Frontend.SignUpAsync(OrderRequestsEmail());
        var final = await graph.Frontend.FinalStatusAsync(signUp.RegistrationId, Timeout);

        using var cancel = new CancellationTokenSource(Timeout);
        using var socket = await graph.Frontend.ConnectAsync(signUp.StatusUrl, cancel.Token);
        var watch = await socket.ReadUntilClosedAsync(cancel.Token);

        var only = Assert.Single(watch.Messages);
        Assert.Equal(final.GetProperty("status").GetString(), only.GetProperty("status").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, watch.CloseStatus);
    }

    [Fact]
    public async Task A_promo_sign_up_is_one_trace_from_the_api_request_to_every_status_the_notifier_announces()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var cancel = new CancellationTokenSource(Timeout);
        await using var tap = await StatusTap.OpenAsync(graph, cancel.Token);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/promo/registrations")
        {
            Content = JsonContent.Create(new { email = OrderRequestsEmail(), name = "Tracey" }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await graph.Api.SendAsync(request);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registrationId").GetString();
        // A winner's code is announced by the mail sender once the mail server has it: that one joins the trace too.
        await Eventually.HoldsAsync(() => tap.Seen.Any(s => s.RegistrationId == id && s.Status is "CodeIssued" or "SoldOut"),
            Timeout, "the decision is announced");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.All(tap.Seen.Where(s => s.RegistrationId == id), status => Assert.Contains(traceId, status.TraceParent));
    }

    [Fact]
    public async Task A_request_nobody_can_read_is_dead_lettered_announced_failed_by_the_notifier_and_the_queue_goes_on()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await using var tap = await StatusTap.OpenAsync(graph, cancel.Token);
        var poisonId = $"poison-{Guid.NewGuid():N}";

        await tap.PublishRequestAsync("{ not json at all"u8.ToArray(),
            new Dictionary<string, object?> { ["eventbooking-registration"] = poisonId }, cancel.Token);
        var after = await graph.Frontend.SignUpAsync(OrderRequestsEmail());
        var failed = await Eventually.ReturnsAsync(() => Task.FromResult(tap.Seen.FirstOrDefault(s => s.RegistrationId == poisonId)),
            status => status is not null, Timeout, "the unreadable request is announced");
        var next = await graph.Frontend.FinalStatusAsync(after.RegistrationId, Timeout);

        Assert.Equal("Failed", failed!.Status);
        Assert.Contains(next.GetProperty("status").GetString(), new[] { "CodeIssued", "SoldOut" });
    }

    private static string OrderRequestsEmail() => $"promo-{Guid.NewGuid():N}@example.com";
}
