using System.Text.RegularExpressions;
using EventBooking.Tests.Fairness;
using EventBooking.Tests.Orders;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventBooking.Tests.Platform;

/// <summary>
/// Every page in every state a person reaches, each at a desktop and a phone width: clean under axe (WCAG 2.1 A and
/// AA), nothing wider than the window, no console error and no failed request. On the graph of the product as shipped
/// (its promo pages are audited with its own tests; those with confirmation off in <see cref="Promo.PromoPageTests"/>).
/// </summary>
[Collection(FairPromotionCollection.Name)]
[Trait("Category", "Pages")]
public sealed partial class PageAuditTests(FairPromotionFixture graph, BrowserFixture browser) : BrowserTests(browser)
{
    [GeneratedRegex(@"/lookup\.html#token=[A-Za-z0-9_-]+")]
    private static partial Regex PrivateLink();

    [Fact]
    public async Task A_client_ordering_and_finding_the_request_again_meets_clean_pages()
    {
        var (page, audit) = await OpenAsync();
        var email = OrderRequests.UniqueEmail("audit");

        await page.GotoAsync("/");
        await audit.CheckAsync("landing");
        await page.GotoAsync("/order");
        await audit.CheckAsync("order-empty");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();
        await Expect(page.Locator("#customerName")).ToHaveAttributeAsync("aria-invalid", "true");
        await audit.CheckAsync("order-errors");

        await page.GetByLabel("Your name").FillAsync("Audrey Audit");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Phone" }).FillAsync("+44 (0)20 7946-0958");
        await page.GetByLabel("Kind of event").SelectOptionAsync("birthday");
        await page.GetByLabel("Date of the event").FillAsync(OrderRequests.Today.AddMonths(3).ToString("yyyy-MM-dd"));
        await page.GetByLabel("Number of guests").FillAsync("40");
        await page.GetByLabel("I agree that EventBooking may contact me").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my request" }).ClickAsync();
        await Expect(page.Locator("#confirmation")).ToBeVisibleAsync();
        await audit.CheckAsync("order-confirmed");

        await page.GotoAsync("/lookup");
        await audit.CheckAsync("lookup");
        var mail = (await graph.Mailbox.WaitForAsync(all => all.Any(m => m.To.ToString().Contains(email)), TimeSpan.FromSeconds(30), "the confirmation"))
            .Single(m => m.To.ToString().Contains(email));
        await page.GotoAsync(PrivateLink().Match(mail.TextBody ?? string.Empty).Value);
        await Expect(page.Locator("#lookup-result")).ToBeVisibleAsync();
        await audit.CheckAsync("lookup-found");

        audit.AssertClean();
    }

    [Fact]
    public async Task A_manager_going_through_the_back_office_meets_clean_pages()
    {
        using (var created = await graph.Frontend.PostAsync(OrderRequests.Valid()))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (page, audit) = await OpenAsync();
        await page.GotoAsync("/admin");
        await audit.CheckAsync("admin-sign-in");
        await page.GetByLabel("Email").FillAsync(GraphFixture.ManagerEmail);
        await page.GetByLabel("Password").FillAsync(GraphFixture.ManagerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#orders-table tbody tr").First).ToBeVisibleAsync();
        await audit.CheckAsync("admin-list");
        await page.Locator("#orders-table tbody tr").First.ClickAsync();
        await Expect(page.Locator("#detail-title")).ToContainTextAsync("EB-");
        await audit.CheckAsync("admin-detail");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Analytics" }).ClickAsync();
        await Expect(page.Locator("#kpis .kpi")).ToHaveCountAsync(9);
        await audit.CheckAsync("admin-analytics");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Promo sign-ups" }).ClickAsync();
        await Expect(page.Locator("#promo-table")).ToBeVisibleAsync();
        await audit.CheckAsync("admin-promo");

        audit.AssertClean();
    }

    private async Task<(IPage Page, PageAudit Audit)> OpenAsync()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!, PageAudit.Widths[0], height: 900);
        return (page, new PageAudit(page));
    }
}
