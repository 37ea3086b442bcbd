using System.Diagnostics;
using System.Text.Json;
using EventBooking.Tests.Orders;
using MimeKit;
using Xunit.Abstractions;

namespace EventBooking.Tests.Promo;

/// <summary>
/// A won code is worth something, through the real graph: read from its mail, redeemed once on an order whatever the
/// race (across both API replicas in the scale-out shape), named in the confirmation, counted in the back office; and
/// the managers hear of every request by mail.
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Shapes", "both")]
public sealed class RedemptionTests(GraphFixture graph, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_code_from_its_mail_is_redeemed_by_one_of_six_orders_at_once_named_in_the_confirmation_and_counted_in_the_back_office()
    {
        var winner = await graph.NewWinnerAsync(Timeout);
        var (email, code) = (winner.Email, winner.Code);
        Assert.Contains("15% off the planning fee of your first event", winner.CodeMail.TextBody);
        var order = OrderRequests.Valid(email);
        order["promoCode"] = code.ToLowerInvariant().Replace('-', ' ');

        var race = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await graph.Frontend.PostAsync(order, idempotencyKey: Guid.NewGuid().ToString());
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));
        race.Stop();

        var stored = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created).Body;
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), refused =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.StartsWith("This code is already used", refused.Body.GetProperty("errors").GetProperty("promoCode")[0].GetString());
        });
        var reference = stored.GetProperty("reference").GetString()!;
        Assert.Equal(code, stored.GetProperty("promoCode").GetString());
        output.WriteLine($"six orders with one code at once: one stored ({reference}), five refused, in {race.ElapsedMilliseconds} ms");

        var confirmation = (await graph.Mailbox.WaitForAsync(all => all.Any(m => IsTo(m, email) && m.Subject?.Contains(reference) == true), Timeout, "the confirmation mail"))
            .Single(m => IsTo(m, email) && m.Subject?.Contains(reference) == true);
        Assert.Contains(code, confirmation.TextBody);
        Assert.Contains("15% off the planning fee of your first event", confirmation.TextBody);

        using var manager = await graph.SignedInManagerAsync();
        var listed = (await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?promo=with&search={reference}")).GetProperty("items");
        Assert.Equal(code, Assert.Single(listed.EnumerateArray()).GetProperty("promoCode").GetString());
        Assert.Equal(0, (await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?promo=without&search={reference}")).GetProperty("total").GetInt32());
        var funnel = (await manager.GetFromJsonAsync<JsonElement>("/api/admin/stats")).GetProperty("promoSteps").EnumerateArray()
            .ToDictionary(s => s.GetProperty("label").GetString()!, s => s.GetProperty("count").GetInt32());
        Assert.True(funnel["redeemed on a request"] >= 1);
        Assert.True(funnel["codes issued"] >= funnel["redeemed on a request"]);

        using var later = await graph.Frontend.PostAsync(order);
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);
    }

    [Fact]
    public async Task Managers_hear_of_one_request_within_seconds_and_of_a_burst_of_fifty_in_one_mail()
    {
        var single = await OrderAsync();
        var told = Stopwatch.StartNew();
        await ManagerMailHoldingAsync([single]);
        output.WriteLine($"one request: the manager's mail arrived {told.Elapsed.TotalSeconds:0.0} s after its 201");

        var burst = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => OrderAsync()));
        var digest = await ManagerMailHoldingAsync(burst);

        Assert.All(burst, reference => Assert.Contains(reference, digest.TextBody));
        output.WriteLine($"fifty requests at once: one mail to the manager holding all of them ({digest.Subject})");
    }

    private async Task<string> OrderAsync()
    {
        using var created = await graph.Frontend.PostAsync(OrderRequests.Valid());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
    }

    /// <summary>The one mail to the manager that names every one of <paramref name="references"/> (no other names any of them).</summary>
    private async Task<MimeMessage> ManagerMailHoldingAsync(IReadOnlyCollection<string> references)
    {
        bool Names(MimeMessage mail) => references.Any(r => mail.TextBody?.Contains(r, StringComparison.Ordinal) == true);
        var inbox = await graph.Mailbox.WaitForAsync(
            all => all.Any(m => IsTo(m, GraphFixture.ManagerEmail) && references.All(r => m.TextBody?.Contains(r, StringComparison.Ordinal) == true)),
            Timeout, $"one mail to the manager naming all {references.Count} request(s)");
        return Assert.Single(inbox, m => IsTo(m, GraphFixture.ManagerEmail) && Names(m));
    }

    private static bool IsTo(MimeMessage mail, string email) =>
        mail.To.Mailboxes.Any(to => string.Equals(to.Address, email, StringComparison.OrdinalIgnoreCase));
}
