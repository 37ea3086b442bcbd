using System.Text.Json;
using System.Text.RegularExpressions;
using EventBooking.FastTests.Infrastructure;
using EventBooking.Tests.Orders;
using MimeKit;

namespace EventBooking.FastTests.Mail;

/// <summary>What the API queues for clients' mailboxes, in the transaction of what the mail announces.</summary>
public sealed partial class ClientMailTests(ApiFactory api) : IClassFixture<ApiFactory>, IDisposable
{
    private readonly HttpClient _client = api.ClientAt("192.0.2.70");

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("#token=([A-Za-z0-9_-]{43})")]
    private static partial Regex TokenInLink();

    [Fact]
    public async Task A_new_order_queues_one_confirmation_with_its_reference_a_calendar_file_and_a_private_link_that_opens_it()
    {
        var order = OrderRequests.Valid();
        order["notes"] = "<script>alert('x')</script> & more";
        var email = order["email"]!.GetValue<string>();
        var key = Guid.NewGuid().ToString();

        using var created = await _client.PostAsync(order, key);
        using var repeated = await _client.PostAsync(order, key);
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;

        var (kind, mail) = Assert.Single(QueuedMail.For(api, email));
        Assert.Equal("order-received", kind);
        Assert.Contains(reference, mail.Subject);
        Assert.Contains(reference, mail.TextBody);
        Assert.Contains("&lt;script&gt;", mail.HtmlBody);
        Assert.DoesNotContain("<script>", mail.HtmlBody);

        var ics = Assert.Single(mail.Attachments.OfType<MimePart>(), a => a.FileName == $"{reference}.ics");
        using var icsText = new MemoryStream();
        await ics.Content!.DecodeToAsync(icsText);
        var calendar = Ical.Net.Calendar.Load(System.Text.Encoding.UTF8.GetString(icsText.ToArray()))!;
        var calendarEvent = Assert.Single(calendar.Events);
        Assert.Equal(DateOnly.Parse(order["eventDate"]!.GetValue<string>()), DateOnly.FromDateTime(calendarEvent.Start!.Value));

        var token = TokenInLink().Match(mail.TextBody ?? string.Empty).Groups[1].Value;
        using var opened = await _client.PostAsJsonAsync("/api/orders/view", new { token });
        using var guessed = await _client.PostAsJsonAsync("/api/orders/view", new { token = new string('A', 43) });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal(reference, (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString());
        Assert.Equal(HttpStatusCode.NotFound, guessed.StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"token": ""}""")]
    [InlineData("""{"token": 42}""")]
    [InlineData("not json")]
    public async Task Opening_a_private_link_without_a_usable_token_is_a_400_problem(string body)
    {
        using var response = await _client.PostAsync("/api/orders/view", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_managers_status_change_queues_one_mail_in_client_words_without_the_internal_note()
    {
        var order = OrderRequests.Valid();
        var email = order["email"]!.GetValue<string>();
        using var created = await _client.PostAsync(order);
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();
        using var manager = await api.SignedInManagerAsync();
        var item = (await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={reference}")).GetProperty("items")[0];

        using var changed = await manager.PatchAsJsonAsync($"/api/admin/orders/{item.GetProperty("id").GetGuid()}",
            new { status = "contacted", version = item.GetProperty("version").GetInt32(), note = "INTERNAL: client seemed unsure about budget" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var mails = QueuedMail.For(api, email);
        var (_, mail) = Assert.Single(mails, m => m.Kind == "order-status");
        Assert.Contains("a planner has picked it up", mail.TextBody);
        Assert.DoesNotContain("INTERNAL", mail.TextBody + mail.HtmlBody);
    }

    [Fact]
    public async Task A_repeat_sign_up_mails_the_status_link_to_the_queued_address_at_most_once_a_minute()
    {
        var email = OrderRequests.UniqueEmail("promo");
        using var first = await _client.PostAsJsonAsync("/api/promo/registrations", new { email, name = "Ada" });
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registrationId").GetString();

        for (var i = 0; i < 3; i++)
        {
            using var repeat = await _client.PostAsJsonAsync("/api/promo/registrations", new { email = email.ToUpperInvariant(), name = "Mallory" });
            Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        }

        var (kind, mail) = Assert.Single(QueuedMail.For(api, email));
        Assert.Equal("promo-link", kind);
        Assert.Contains($"/promo.html#registration={id}", mail.TextBody);
        Assert.DoesNotContain("Mallory", mail.TextBody);
    }
}
