using System.Text.Json;
using System.Text.RegularExpressions;
using EventBooking.Tests.Orders;
using MimeKit;

namespace EventBooking.Tests.Mail;

/// <summary>Mail as the client receives it: through the real graph, read from the dev mail server.</summary>
[Collection(GraphCollection.Name)]
public sealed partial class MailFlowTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"(http://\S+/lookup\.html)#token=([A-Za-z0-9_-]{43})")]
    private static partial Regex PrivateLink();

    [Fact]
    public async Task An_order_gets_exactly_one_confirmation_with_its_reference_a_calendar_file_and_a_private_link_that_opens_it()
    {
        var order = OrderRequests.Valid();
        order["customerName"] = "Grace <script>alert(1)</script> Hopper";
        var email = order["email"]!.GetValue<string>();

        using var created = await graph.Frontend.PostAsync(order);
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
        var mail = Assert.Single(await MailsToAsync(email, count: 1));

        Assert.Contains(reference, mail.Subject);
        Assert.Contains(reference, mail.TextBody);
        Assert.DoesNotContain("<script>", mail.HtmlBody);
        Assert.Contains("Grace &lt;script&gt;", mail.HtmlBody);
        var ics = Assert.Single(mail.Attachments.OfType<MimePart>(), a => a.ContentType.MimeType == "text/calendar");
        using var icsText = new MemoryStream();
        await ics.Content!.DecodeToAsync(icsText);
        var calendarEvent = Assert.Single(Ical.Net.Calendar.Load(System.Text.Encoding.UTF8.GetString(icsText.ToArray()))!.Events);
        Assert.Equal(order["eventDate"]!.GetValue<string>(), DateOnly.FromDateTime(calendarEvent.Start!.Value).ToString("yyyy-MM-dd"));

        var link = PrivateLink().Match(mail.TextBody ?? string.Empty);
        Assert.True(link.Success, "the mail holds the private link");
        Assert.Equal(new Uri(graph.Frontend.BaseAddress!, "/lookup.html").AbsoluteUri, link.Groups[1].Value);
        using var opened = await graph.Frontend.PostAsJsonAsync("/api/orders/view", new { token = link.Groups[2].Value });
        Assert.Equal(reference, (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString());
    }

    [Fact]
    public async Task A_managers_status_change_sends_the_client_one_mail()
    {
        var order = OrderRequests.Valid();
        var email = order["email"]!.GetValue<string>();
        using var created = await graph.Frontend.PostAsync(order);
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();
        using var manager = await graph.SignedInManagerAsync();
        var item = (await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={reference}")).GetProperty("items")[0];

        using var changed = await manager.PatchAsJsonAsync($"/api/admin/orders/{item.GetProperty("id").GetGuid()}",
            new { status = "cancelled", version = item.GetProperty("version").GetInt32(), note = "internal: duplicate of another request" });
        var mails = await MailsToAsync(email, count: 2);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var news = Assert.Single(mails, m => m.Subject?.Contains("cancelled", StringComparison.Ordinal) == true);
        Assert.DoesNotContain("duplicate of another request", news.TextBody + news.HtmlBody);
    }

    /// <summary>
    /// The mails to <paramref name="email"/> once the API's outbox holds none for it unsent: after that nothing more
    /// can arrive, so a second copy of any of them would be counted here.
    /// </summary>
    private async Task<List<MimeMessage>> MailsToAsync(string email, int count)
    {
        await Eventually.HoldsAsync(() => Outbox(email) is (var queued, 0) && queued >= count, Timeout, $"{count} mail(s) to {email} queued and sent");
        var inbox = await graph.Mailbox.WaitForAsync(all => all.Count(m => IsTo(m, email)) >= count, Timeout, $"{count} mail(s) to {email} received");
        Assert.Equal((count, 0), Outbox(email));
        return [.. inbox.Where(m => IsTo(m, email))];
    }

    /// <summary>How many mails the API queued for <paramref name="email"/>, and how many of them are not sent yet.</summary>
    private (long Queued, long Unsent) Outbox(string email)
    {
        using var db = graph.OpenApiDatabase();
        return (db.Count("""SELECT COUNT(*) FROM "OutgoingMail" WHERE "Recipient" = @email""", ("email", email)),
            db.Count("""SELECT COUNT(*) FROM "OutgoingMail" WHERE "Recipient" = @email AND "SentAt" IS NULL""", ("email", email)));
    }

    private static bool IsTo(MimeMessage mail, string email) => mail.To.Mailboxes.Any(to => to.Address == email);
}
