using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
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
        Assert.InRange(promo.GetProperty("codesLeft").GetInt32(), 0, 10);
        Assert.True(promo.GetProperty("isOpen").GetBoolean());
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
        Assert.True(body.GetProperty("position").GetInt32() >= 0);
        Assert.Equal($"/ws/promo/{id}", body.GetProperty("statusUrl").GetString());

        var final = await graph.Frontend.FinalStatusAsync(id, Timeout);
        Assert.Contains(final.GetProperty("status").GetString(), new[] { "CodeIssued", "SoldOut" });
    }

    [Fact]
    public async Task Signing_up_again_with_the_same_email_returns_the_original_registration()
    {
        var email = OrderRequestsEmail();
        var first = await graph.Frontend.SignUpAsync(email);

        var again = await graph.Frontend.SignUpAsync($"  {email.ToUpperInvariant()} ");

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.RegistrationId, again.RegistrationId);
        Assert.Single(PromoInvariants.Registrations(graph), r => r.Email == email);
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
    public async Task A_promo_sign_up_is_one_trace_from_the_api_request_to_the_notifier_decision()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var notifier = graph.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "notifier");
        var logs = graph.App.Services.GetRequiredService<ResourceLoggerService>();
        using var cancel = new CancellationTokenSource(Timeout);
        var sawTrace = Task.Run(async () =>
        {
            await foreach (var batch in logs.WatchAsync(notifier).WithCancellation(cancel.Token))
            {
                if (batch.Any(line => line.Content.Contains($"(trace {traceId})", StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            return false;
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/promo/registrations")
        {
            Content = JsonContent.Create(new { email = OrderRequestsEmail(), name = "Tracey" }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await graph.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(await sawTrace, $"the notifier logged its decision under trace {traceId}");
    }

    private static string OrderRequestsEmail() => $"promo-{Guid.NewGuid():N}@example.com";
}
