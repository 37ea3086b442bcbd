using System.Text.RegularExpressions;
using EventBooking.Tests.Promo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventBooking.Tests.Orders;

/// <summary>
/// A winner goes from their code mail to a confirmed request, and a manager sees it and switches their own mail off:
/// keyboard only, every state clean under axe at a desktop and a phone width.
/// </summary>
[Collection(GraphCollection.Name)]
public sealed partial class PromoCodePageTests(GraphFixture graph, BrowserFixture browser) : BrowserTests(browser)
{
    private const string Benefit = "15% off the planning fee of your first event";

    [GeneratedRegex(@"/order#promo=EVT[-A-Z0-9]+")]
    private static partial Regex OrderLink();

    [Fact]
    public async Task A_winner_follows_the_code_mail_to_the_form_is_told_a_mistyped_code_by_its_field_keeps_the_form_and_gets_a_confirmation_naming_the_benefit()
    {
        var winner = await graph.NewWinnerAsync(TimeSpan.FromSeconds(60));
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!, PageAudit.Widths[0]);
        var audit = new PageAudit(page);
        audit.Expect(400, "/api/orders");

        await page.GotoAsync(OrderLink().Match(winner.CodeMail.TextBody!).Value);
        var code = page.GetByLabel("Promo code");
        await Expect(code).ToHaveValueAsync(winner.Code);
        Assert.DoesNotContain("promo=", page.Url); // the code leaves the address bar (and the history)

        await page.GetByLabel("Your name").FillAsync("Wendy Winner");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(winner.Email);
        await page.GetByLabel("Kind of event").SelectOptionAsync("wedding");
        await page.GetByLabel("Date of the event").FillAsync(OrderRequests.Today.AddMonths(5).ToString("yyyy-MM-dd"));
        await page.GetByLabel("Number of guests").FillAsync("60");
        await page.GetByLabel("I agree that EventBooking may contact me").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await code.FillAsync("EVT-2222-3333-4444");
        await code.PressAsync("Enter");

        await Expect(page.Locator("[data-error-for='promoCode']")).ToContainTextAsync("We do not know this promo code");
        await Expect(code).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Wendy Winner");
        await Expect(page.GetByLabel("Number of guests")).ToHaveValueAsync("60");
        await audit.CheckAsync("order-promo-code-refused");

        await code.FillAsync(winner.Code.ToLowerInvariant().Replace('-', ' '));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#confirmation")).ToBeVisibleAsync();
        await Expect(page.Locator("#confirmation-promo")).ToContainTextAsync($"Your promo code {winner.Code} is on this request: {Benefit}.");
        await Expect(page.Locator("#confirmation-summary")).ToContainTextAsync(winner.Code);
        await audit.CheckAsync("order-confirmed-with-promo-code");
        var reference = await page.Locator("#confirmation-reference").TextContentAsync();

        await ManagerSeesTheCodeAndSwitchesTheirMailAsync(page, audit, reference!, winner.Code);
        audit.AssertClean();
    }

    private async Task ManagerSeesTheCodeAndSwitchesTheirMailAsync(IPage page, PageAudit audit, string reference, string code)
    {
        await page.GotoAsync("/admin");
        await page.GetByLabel("Email").FillAsync(GraphFixture.ManagerEmail);
        await page.GetByLabel("Password").FillAsync(GraphFixture.ManagerPassword);
        await page.GetByLabel("Password").PressAsync("Enter");
        var filters = page.Locator("#filters");
        await filters.GetByLabel("Search").FillAsync(reference);
        await filters.GetByLabel("Promo code").SelectOptionAsync("with");
        await filters.GetByLabel("Search").PressAsync("Enter");
        var row = page.Locator("#orders-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".promo-mark")).ToHaveTextAsync($"Promo {code}");
        await row.GetByRole(AriaRole.Button, new() { Name = reference }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#detail")).ToBeFocusedAsync();
        await Expect(page.Locator("#detail-fields")).ToContainTextAsync($"Promo code redeemed: {Benefit}.");

        var mailMe = page.GetByLabel("Mail me new requests");
        await Expect(mailMe).ToBeCheckedAsync();
        await mailMe.FocusAsync();
        await SwitchAsync(page);
        await Expect(mailMe).Not.ToBeCheckedAsync();
        await audit.CheckAsync("admin-promo-code-and-mail-switch");
        var kept = await page.EvaluateAsync<bool>("async () => (await (await fetch('/api/admin/me')).json()).mailOnNewRequests");
        await SwitchAsync(page); // back on, for the other tests of this graph
        await Expect(mailMe).ToBeCheckedAsync();

        Assert.False(kept);
        Assert.True(await page.EvaluateAsync<bool>("async () => (await (await fetch('/api/admin/me')).json()).mailOnNewRequests"));
    }

    /// <summary>Space on the focused switch, once the API has stored the change.</summary>
    private static Task SwitchAsync(IPage page) => page.RunAndWaitForResponseAsync(
        () => page.Keyboard.PressAsync("Space"), response => response.Request.Method == "PUT" && response.Url.EndsWith("/api/admin/me", StringComparison.Ordinal));
}
