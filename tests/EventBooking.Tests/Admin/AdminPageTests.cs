using System.Text.Json;
using EventBooking.Tests.Orders;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EventBooking.Tests.Admin;

[Collection(GraphCollection.Name)]
[Trait("Shapes", "both")] // provider SQL: search and the analytics
public sealed class AdminPageTests(GraphFixture graph, BrowserFixture browser) : BrowserTests(browser)
{
    [Fact]
    public async Task A_manager_signs_in_finds_a_new_request_moves_it_along_and_sees_the_history()
    {
        var order = OrderRequests.Valid();
        order["customerName"] = "Marie <b>Curie</b>";
        var reference = await SubmitAsync(order);
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);

        await page.GotoAsync("/admin");
        await SignInAsync(page);
        await page.Locator("#f-search").FillAsync(reference);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var row = page.Locator("#orders-table tbody tr", new() { HasText = reference });
        await Expect(page.Locator("#orders-table tbody tr")).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Marie <b>Curie</b>");
        await row.ClickAsync();

        var detail = page.Locator("#detail");
        await Expect(detail.Locator("#detail-title")).ToContainTextAsync(reference);
        await Expect(detail.Locator("#history")).ToContainTextAsync("No changes yet.");
        await page.GetByLabel("Move to").SelectOptionAsync("contacted");
        await page.GetByLabel("Internal note").FillAsync("Called: wants a tasting in March");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save status" }).ClickAsync();

        await Expect(detail.Locator("#history li")).ToHaveCountAsync(1);
        await Expect(detail.Locator("#history")).ToContainTextAsync("New → Contacted");
        await Expect(detail.Locator("#history")).ToContainTextAsync($"by {GraphFixture.ManagerEmail} — Called: wants a tasting in March");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Contacted");
        await Expect(page.Locator("b")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "admin-requests.png"), FullPage = true });

        using var manager = await graph.SignedInManagerAsync();
        var found = await manager.GetFromJsonAsync<JsonElement>($"/api/admin/orders?search={reference}");
        Assert.Equal("contacted", found.GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_request_submitted_while_the_back_office_is_open_appears_without_reloading()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        await page.GotoAsync("/admin");
        await SignInAsync(page);
        await Expect(page.Locator("#live-state")).ToHaveTextAsync("● live");

        var reference = await SubmitAsync(OrderRequests.Valid());

        var arrived = page.Locator("#orders-table tbody tr.new", new() { HasText = reference });
        await Expect(arrived).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_analytics_tab_draws_its_charts_from_the_served_chart_library()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        // The site's Content-Security-Policy reports blocked scripts and styles as console errors.
        page.Console += (_, message) => { if (message.Text.StartsWith("Refused to", StringComparison.Ordinal)) errors.Add(message.Text); };
        await SubmitAsync(OrderRequests.Valid());

        await page.GotoAsync("/admin");
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Analytics" }).ClickAsync();

        await Expect(page.Locator("#kpis .kpi")).ToHaveCountAsync(9);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Chart === 'function'"), "Chart.js did not load from the site");
        foreach (var chart in new[] { "chart-days", "chart-types", "chart-status", "chart-budget" })
        {
            await Expect(page.Locator($"#{chart}")).ToHaveAttributeAsync("width", new System.Text.RegularExpressions.Regex("^[1-9]"));
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "admin-analytics.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_wrong_password_is_explained_on_the_sign_in_form()
    {
        var page = await Browser.NewPageAsync(graph.Frontend.BaseAddress!, width: 360, height: 800);

        await page.GotoAsync("/admin");
        await page.GetByLabel("Email").FillAsync("someone@example.com");
        await page.GetByLabel("Password").FillAsync("certainly-not-it");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.Locator("#signin-alert")).ToContainTextAsync("Wrong email or password");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "admin-sign-in-360px.png"), FullPage = true });
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GetByLabel("Email").FillAsync(GraphFixture.ManagerEmail);
        await page.GetByLabel("Password").FillAsync(GraphFixture.ManagerPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#manager-email")).ToHaveTextAsync(GraphFixture.ManagerEmail);
    }

    private async Task<string> SubmitAsync(System.Text.Json.Nodes.JsonObject order)
    {
        using var created = await graph.Frontend.PostAsync(order);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
    }
}
